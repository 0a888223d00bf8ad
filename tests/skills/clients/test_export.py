"""A client's export: the whole record, for managers."""

from skills.replies import ReplyKind
from tests.skills.costs.book import add_client, add_signals, invoice, ticket
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
    counts = (
        "4 reports, 2 escalations, 0 tickets, touch points and invoices from other systems, "
        f"and {len(export['audit'])} audit events"
    )
    assert paragraph_text(reply) == f"The export holds {counts}."


async def test_one_of_each_is_singular(workspace: Workspace) -> None:
    await new_client(workspace)  # its first report, and no escalation
    reply = await workspace.say('/client export "Acme Corp"', as_user="maria")
    assert "1 report, 0 escalations" in paragraph_text(reply)


async def test_export_is_for_managers(workspace: Workspace) -> None:
    await new_client(workspace)
    refused = await workspace.say('/client export "Acme Corp"', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED


async def test_export_holds_the_signals_from_other_systems(workspace: Workspace) -> None:
    client_id = await add_client(workspace, "Acme Corp")
    await add_signals(
        workspace,
        client_id,
        ticket("2026-02-02T09:00", 120),
        invoice("2026-02-16T09:00", "invoice_overdue", "inv-1", "400", due="2026-02-15T00:00"),
    )
    reply = await workspace.say('/client export "Acme Corp"', as_user="maria")
    signals = reply.data["export"]["api_signals"]
    assert [(row["kind"], row["minutes"], row["amount"]) for row in signals] == [
        ("ticket_opened", 120, None),
        ("invoice_overdue", None, "400.00"),
    ]
    assert signals[1] == {
        "kind": "invoice_overdue",
        "source": "test",
        "external_id": signals[1]["external_id"],
        "occurred_at": "2026-02-16T09:00:00Z",
        "minutes": None,
        "amount": "400.00",
        "currency": "EUR",
        "due_at": "2026-02-15T00:00:00Z",
        "invoice_id": "inv-1",
    }
    assert "2 tickets, touch points and invoices from other systems" in paragraph_text(reply)
