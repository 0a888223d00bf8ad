"""Managers void reports; the state and the escalation follow, and a report is voided once."""

from skills.replies import ReplyKind
from tests.support.scenarios import cross
from tests.support.workspace import Workspace


async def test_voiding_one_of_two_returns_to_watch(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    reply = await workspace.say(
        f"/client void #{first} reported on the wrong client", as_user="maria"
    )
    assert reply.kind is ReplyKind.RESULT
    assert reply.data["client"]["state"] == "watch"
    assert reply.data["client"]["active_strikes"] == 1
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["escalation_id"] is None
    again = await workspace.say(f"/client void {first} twice", as_user="maria")
    assert again.data["error"] == "already_voided"


async def test_void_needs_a_manager_and_the_refusal_is_audited(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    refused = await workspace.say(f"/client void {first} I do not like it", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "threshold"
    export = await workspace.say('/client export "Acme Corp"', as_user="maria")
    refusals = [e for e in export.data["export"]["audit"] if e["outcome"] == "refused"]
    assert [(e["actor_id"], e["action"]) for e in refusals] == [("ana", "report.void")]


async def test_void_asks_for_a_reason_and_knows_unknown_reports(workspace: Workspace) -> None:
    await cross(workspace)
    no_reason = await workspace.say("/client void 1", as_user="maria")
    assert no_reason.kind is ReplyKind.FORM
    unknown = await workspace.say("/client void 999999 typo", as_user="maria")
    assert unknown.data["error"] == "unknown_incident"
    not_a_number = await workspace.say("/client void abc typo", as_user="maria")
    assert "incident_id" in not_a_number.data["errors"]
