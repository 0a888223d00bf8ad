"""The risk board (``/client list``): clients ordered by risk, one page at a time, ordered and
paged by the database."""

from skills.assessment.playbooks import recommendation_label
from skills.commands import ShowBoard
from skills.core.scope import Scope
from skills.costs.board import BY_RISK, board_costs, board_ranking, cost_heading
from skills.listening.contact import contact_levels
from skills.replies import Actions, Heading, Paragraph, Reply, ReplyKind
from skills.strikes.labels import state_label
from skills.text.command_parser import BY_COST
from skills.text.paging import Page, page_controls, page_of
from storage.repositories.board import BoardRow

PAGE_SIZE = 20


async def board_page(scope: Scope, requested: int, by: str = BY_RISK) -> Page[BoardRow]:
    """The requested page of the board (clamped to the pages that exist), its clients' states
    and strikes derived in the database under ``scope.policy`` now; ``by`` cost, the highest
    cost against revenue first."""
    # The pages of a range of positions: the clamping rule of ``page_of``, with no rows loaded.
    place = page_of(range(await scope.uow.clients.count(scope.tenant.id)), requested, PAGE_SIZE)
    rows = await scope.uow.clients.board_page(
        scope.tenant.id,
        window_start=scope.policy.window_start(scope.now),
        threshold=scope.policy.threshold,
        offset=place.first_index,
        limit=PAGE_SIZE,
        by_cost=board_ranking(scope, by),
    )
    return Page(rows, place.number, place.count, place.first_index)


async def show_board(scope: Scope, command: ShowBoard) -> Reply:
    """One page of the board: undecided crossings first, then by reds, strikes and recency;
    or by cost against revenue (``/client list cost``). Each line has its cost against revenue
    when there is one."""
    t = scope.t
    page = await board_page(scope, command.page, command.by)
    # Only the page's clients: the board's cost must not grow with the tenant's other clients.
    client_ids = [row.client.id or 0 for row in page.items]
    recommendations = await scope.uow.assessments.latest_recommendations(
        scope.tenant.id, client_ids
    )
    contact = await contact_levels(scope, client_ids=client_ids)
    costs = await board_costs(scope, [row.client for row in page.items])
    lines = []
    for index, row in enumerate(page.items):
        line = t._(
            "{rank}. {client} — {state} — {strikes}",
            rank=page.first_index + index + 1,
            client=row.client.name,
            state=state_label(t, row.state),
            strikes=t.n_("{count} strike", "{count} strikes", row.strikes),
        )
        recommendation = recommendations.get(row.client.id or 0)
        if recommendation:
            label = recommendation_label(t, recommendation)
            line += " — " + t._("assessed: {recommendation}", recommendation=label)
        level = contact.get(row.client.id or 0)
        if level is not None and level.far_above:
            line += " — " + t._("far more contact than others this week")
        cost = costs.cell(t, row.client.id or 0)
        if cost:
            line += " — " + cost
        lines.append(line)
    title, missing = (
        cost_heading(scope) if command.by == BY_COST else (t._("Clients by risk"), None)
    )
    blocks: list[Heading | Paragraph | Actions] = [Heading(title)]
    if missing:
        blocks.append(Paragraph(missing))
    blocks.append(Paragraph("\n".join(lines) if lines else t._("No clients yet.")))
    blocks += page_controls(t, page, lambda number: ShowBoard(number, by=command.by))
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "page": page.number,
            "pages": page.count,
            "by": command.by,
            "clients": [
                {
                    "id": row.client.id,
                    "name": row.client.name,
                    "state": row.state.value,
                    "active_strikes": row.strikes,
                    "reds": row.reds,
                    "recommendation": recommendations.get(row.client.id or 0),
                    "cost_to_revenue": costs.ratio(row.client.id or 0),
                    "far_above_contact": bool(
                        contact.get(row.client.id or 0) and contact[row.client.id or 0].far_above
                    ),
                }
                for row in page.items
            ],
        },
    )
