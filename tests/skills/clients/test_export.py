"""A client's export: the whole record, for managers."""

from skills.replies import ReplyKind
from tests.support.scenarios import cross, new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_export_holds_everything(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    await workspace.say(f"/client void {first} wrong client", as_user="maria")
    await workspace.say('/report-client "Acme Corp" abuse shouted at Ana')
    await workspace.say('/client decide "Acme Corp" offboarding after the call', as_user="maria")
    reply = await workspace.say('/client export "Acme Corp"', as_user="maria")
    export = reply.data["export"]
    assert export["client"]["name"] == "Acme Corp"
    assert len(export["incidents"]) == 4  # the note that created the client, and three more
    voided = [row for row in export["incidents"] if row["voided_at"]]
    assert [(row["id"], row["void_reason"]) for row in voided] == [(first, "wrong client")]
    assert [row["status"] for row in export["escalations"]] == ["withdrawn", "decided"]
    assert [row["kind"] for row in export["decisions"]] == ["offboarding"]
    pings = [row for row in export["outbox"] if row["kind"] == "manager_ping"]
    assert {row["recipient_id"] for row in pings} == {"maria"}
    actions = [event["action"] for event in export["audit"]]
    for expected in ("report.filed", "report.voided", "escalation.opened", "decision.recorded"):
        assert expected in actions
    # Each count with its own plural, the three listed as the language lists.
    counts = f"4 reports, 2 escalations, and {len(export['audit'])} audit events"
    assert paragraph_text(reply) == f"The export holds {counts}."


async def test_one_of_each_is_singular(workspace: Workspace) -> None:
    await new_client(workspace)  # its first report, and no escalation
    reply = await workspace.say('/client export "Acme Corp"', as_user="maria")
    assert "1 report, 0 escalations" in paragraph_text(reply)


async def test_export_is_for_managers(workspace: Workspace) -> None:
    await new_client(workspace)
    refused = await workspace.say('/client export "Acme Corp"', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
