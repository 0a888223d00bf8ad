"""A person's overview (Slack's App Home, Teams' personal tab): their reports, the board, and for
managers the decisions waiting."""

from skills.clients.board import show_board
from skills.commands import Assess, ReportIncident, ShowBoard, ShowHome, ShowWaiting
from skills.core.access import is_manager
from skills.core.scope import Scope
from skills.escalation.waiting import show_waiting
from skills.replies import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.reports.lines import incident_line

RECENT = 5


async def show_home(scope: Scope, _command: ShowHome) -> Reply:
    """The overview, with buttons to report a client or start an assessment."""
    t = scope.t
    blocks: list[Block] = [
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
    waiting_ids: list[int] = []
    if is_manager(scope.tenant, scope.actor):
        # The first page of /client waiting: the list is drawn in one place.
        waiting = await show_waiting(scope, ShowWaiting())
        blocks += waiting.blocks
        waiting_ids = [item["id"] for item in waiting.data["escalations"]]
    board = await show_board(scope, ShowBoard())
    blocks += [block for block in board.blocks if isinstance(block, Heading | Paragraph)]
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "recent_report_ids": [item.id for item in mine],
            "waiting_escalation_ids": waiting_ids,
            "board": board.data["clients"],
        },
    )
