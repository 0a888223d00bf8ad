"""Managers record decisions; the state and the escalation follow."""

from skills.replies import ReplyKind
from tests.support.scenarios import cross
from tests.support.workspace import Workspace


async def test_a_decision_closes_the_escalation_and_a_new_strike_crosses_again(
    workspace: Workspace,
) -> None:
    await cross(workspace)
    decided = await workspace.say(
        '/client decide "Acme Corp" keep_on_terms new SLA with paid extras', as_user="maria"
    )
    assert decided.data["client"]["state"] == "keep_on_terms"
    first_escalation = decided.data["escalation_id"]
    assert first_escalation is not None

    again = await workspace.say('/report-client "Acme Corp" scope_creep wants more again')
    assert again.data["client"]["state"] == "threshold"
    assert again.data["escalation_opened"] is True
    assert again.data["escalation_id"] != first_escalation


async def test_clearing_needs_a_reason_and_resets_strikes(workspace: Workspace) -> None:
    await cross(workspace)
    no_reason = await workspace.say('/client decide "Acme Corp" cleared', as_user="maria")
    assert no_reason.kind is ReplyKind.FORM
    assert "reason" in no_reason.data["errors"]
    cleared = await workspace.say(
        '/client decide "Acme Corp" cleared both were misunderstandings', as_user="maria"
    )
    assert cleared.data["client"]["state"] == "cleared"
    assert cleared.data["client"]["active_strikes"] == 0
    one_more = await workspace.say('/report-client "Acme Corp" scope_creep one more')
    assert one_more.data["client"]["state"] == "watch"


async def test_decide_rejects_unknown_decisions_and_non_managers(workspace: Workspace) -> None:
    await cross(workspace)
    bad = await workspace.say('/client decide "Acme Corp" ban', as_user="maria")
    assert "decision" in bad.data["errors"]
    refused = await workspace.say('/client decide "Acme Corp" fired', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
