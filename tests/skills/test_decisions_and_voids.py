"""Managers void reports and record decisions; the state and the escalation follow."""

from skills.replies import ReplyKind
from tests.support.scenarios import cross, new_client, paragraph_text
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


async def test_strikes_expire_after_the_window(workspace: Workspace) -> None:
    await cross(workspace)
    workspace.clock.advance(days=179)
    assert (await workspace.say('/client "Acme Corp"')).data["client"]["state"] == "threshold"
    workspace.clock.advance(days=1)
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "ok"
    assert card.data["client"]["active_strikes"] == 0


async def test_reporter_is_named_to_managers_and_themselves_only(workspace: Workspace) -> None:
    await cross(workspace)
    history = await workspace.say('/client history "Acme Corp"', as_user="ana")
    assert "by Ana" in paragraph_text(history)
    teammate = await workspace.say('/client history "Acme Corp"', as_user="tom")
    assert "by Ana" not in paragraph_text(teammate)
    assert "a teammate" in paragraph_text(teammate)
    assert all(
        item["reporter"] is None
        for item in (await workspace.say('/client "Acme Corp"', as_user="tom")).data["recent"]
    )
    manager = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert {item["reporter"] for item in manager.data["recent"]} == {"ana"}


async def test_board_orders_by_risk(workspace: Workspace) -> None:
    await cross(workspace)
    await new_client(workspace, "Globex")
    await workspace.say("/report-client Globex unresponsive missed onboarding")
    await new_client(workspace, "Initech")
    board = await workspace.say("/client list")
    assert [row["name"] for row in board.data["clients"]] == ["Acme Corp", "Globex", "Initech"]
    assert [row["state"] for row in board.data["clients"]] == ["threshold", "watch", "ok"]


async def test_history_pages(workspace: Workspace) -> None:
    await new_client(workspace)
    for number in range(12):
        await workspace.say(f'/report-client "Acme Corp" expectation_mismatch wish {number}')
    first = await workspace.say('/client history "Acme Corp"')
    assert (first.data["page"], first.data["pages"]) == (1, 2)
    assert len(first.data["entries"]) == 10
    second = await workspace.say('/client history "Acme Corp" 2')
    assert len(second.data["entries"]) == 3  # 13 reports in all
