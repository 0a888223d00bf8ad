"""A person's overview (Slack's App Home, Teams' personal tab): their reports, the board, and for
managers the decisions waiting."""

from skills.clients.board import show_board
from skills.commands import Assess, ReportIncident, ShowBoard, ShowHome
from skills.core.access import is_manager
from skills.core.scope import Scope
from skills.replies import Actions, Button, ButtonStyle, Heading, Paragraph, Reply, ReplyKind
from skills.reports.lines import incident_line

RECENT = 5
WAITING_SHOWN = 10


async def show_home(scope: Scope, _command: ShowHome) -> Reply:
    """The overview, with buttons to report a client or start an assessment."""
    t = scope.t
    tz = scope.tenant.timezone
    blocks: list[Heading | Paragraph | Actions] = [
        Heading(t._("Yellowcard")),
        Actions(
            (
                Button(t._("Report a client"), ReportIncident(), ButtonStyle.PRIMARY),
                Button(t._("Start an assessment"), Assess()),
            )
        ),
        Heading(t._("Your recent reports")),
    ]
    mine = await scope.uow.incidents.recent_by_reporter(
        scope.tenant.id, scope.actor.user_id, limit=RECENT
    )
    blocks.append(
        Paragraph("\n".join(incident_line(scope, item) for item in mine) or t._("None yet."))
    )
    waiting = []
    if is_manager(scope.tenant, scope.actor):
        blocks.append(Heading(t._("Decisions waiting")))
        open_escalations = await scope.uow.escalations.open_in_tenant(scope.tenant.id)
        for escalation in open_escalations[:WAITING_SHOWN]:
            client = await scope.uow.clients.get(scope.tenant.id, escalation.client_id)
            if client is None:
                continue
            waiting.append(escalation.id)
            since = t.date(escalation.opened_at, tz)
            blocks.append(Paragraph(t._("{client}, since {date}", client=client.name, date=since)))
        if not waiting:
            blocks.append(Paragraph(t._("None yet.")))
        elif len(open_escalations) > WAITING_SHOWN:
            hidden = len(open_escalations) - WAITING_SHOWN
            blocks.append(
                Paragraph(
                    t.n_(
                        "…and {count} more: /client list shows all.",
                        "…and {count} more: /client list shows all.",
                        hidden,
                    )
                )
            )
    board = await show_board(scope, ShowBoard())
    blocks += [block for block in board.blocks if isinstance(block, Heading | Paragraph)]
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "recent_report_ids": [item.id for item in mine],
            "waiting_escalation_ids": waiting,
            "board": board.data["clients"],
        },
    )
