"""The risk board (``/client list``): clients ordered by risk, counted in the database."""

from skills.assessment.playbooks import recommendation_label
from skills.commands import ShowBoard
from skills.core.scope import Scope
from skills.listening.contact import contact_levels
from skills.replies import Actions, Heading, Paragraph, Reply, ReplyKind
from skills.strikes.apply import states_now
from skills.strikes.labels import state_label
from skills.strikes.policy import risk_order
from skills.text.paging import page_controls, page_of

PAGE_SIZE = 20


async def show_board(scope: Scope, command: ShowBoard) -> Reply:
    """One page of the board: undecided crossings first, then by reds, strikes and recency."""
    t = scope.t
    ranked = [
        (risk_order(state, summary), client.name, client, state, summary)
        for client, state, summary in await states_now(scope)
    ]
    ranked.sort(key=lambda item: (item[0], item[1]))

    page = page_of(ranked, command.page, PAGE_SIZE)
    recommendations = await scope.uow.assessments.latest_recommendations(scope.tenant.id)
    contact = await contact_levels(scope)
    lines = []
    for index, (_key, _name, client, state, summary) in enumerate(page.items):
        line = t._(
            "{rank}. {client} — {state} — {strikes}",
            rank=page.first_index + index + 1,
            client=client.name,
            state=state_label(t, state),
            strikes=t.n_("{count} strike", "{count} strikes", summary.count),
        )
        recommendation = recommendations.get(client.id or 0)
        if recommendation:
            label = recommendation_label(t, recommendation)
            line += " — " + t._("assessed: {recommendation}", recommendation=label)
        level = contact.get(client.id or 0)
        if level is not None and level.far_above:
            line += " — " + t._("far more contact than others this week")
        lines.append(line)
    blocks: list[Heading | Paragraph | Actions] = [
        Heading(t._("Clients by risk")),
        Paragraph("\n".join(lines) if lines else t._("No clients yet.")),
    ]
    blocks += page_controls(t, page, ShowBoard)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "page": page.number,
            "pages": page.count,
            "clients": [
                {
                    "id": client.id,
                    "name": client.name,
                    "state": state.value,
                    "active_strikes": summary.count,
                    "reds": summary.reds,
                    "recommendation": recommendations.get(client.id or 0),
                    "far_above_contact": bool(
                        contact.get(client.id or 0) and contact[client.id or 0].far_above
                    ),
                }
                for _key, _name, client, state, summary in page.items
            ],
        },
    )
