"""Forgetting a client: for managers, after a preview; everything goes, the audit trail too."""

from datetime import UTC, datetime

from skills.clients.forgetting import DELETED
from skills.commands import ExportClient, ForgetClient
from skills.core.context import system_actor
from skills.core.scope import open_scope
from skills.listening.hearing import hear
from skills.outbox.messages import queue_abuse_notes
from skills.replies import Actions
from tests.support.scenarios import heard_message, linked_client, paragraph_text
from tests.support.workspace import Workspace

# Monday 2 March 2026, 09:00 UTC: the fake clock's start; the tenant's timezone is UTC.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_forget_removes_everything_and_the_export_shows_it_gone(workspace: Workspace) -> None:
    ws = workspace
    await linked_client(ws)
    await ws.say('/report-client "Acme Corp" abuse shouted at Ana')
    await hear(ws.services, heard_message(ws, "f1", client=True, text="Hi", at=MONDAY))
    refused = await ws.run(ForgetClient("Acme Corp"), as_user="ana")
    assert refused.kind.value == "refused"
    await ws.run(ExportClient("Acme Corp"), as_user="ana")  # refused too, audited by name
    preview = await ws.run(ForgetClient("Acme Corp"), as_user="maria")
    assert preview.data["preview"] is True
    confirm = next(block for block in preview.blocks if isinstance(block, Actions)).buttons[0]
    done = await ws.run(confirm.command, as_user="maria")
    deleted = done.data["deleted"]
    assert deleted["client"] == 1
    assert deleted["reports"] == 2
    assert deleted["escalations"] == 1
    assert deleted["signals"] == 1
    assert deleted["channel_links"] == 1
    # Every kind storage counts has words, each with its plural.
    assert set(deleted) == set(DELETED)
    assert "\n1 escalation\n2 reports\n" in paragraph_text(done)
    gone = await ws.run(ExportClient("Acme Corp"), as_user="maria")
    assert gone.data["error"] == "unknown_client"
    relinked = await hear(ws.services, heard_message(ws, "f2", client=True, text="Hi", at=MONDAY))
    assert relinked.client_id is None
    async with ws.services.unit_of_work() as uow:
        for subject in ("Acme Corp", "acmecorp"):
            assert await uow.audit.for_subject(ws.tenant_id, "client", subject) == []


async def test_forget_removes_the_abuse_notes_still_waiting_to_be_sent(
    workspace: Workspace,
) -> None:
    ws = workspace
    client_id = await linked_client(ws)
    async with open_scope(ws.services, system_actor(ws.tenant_id)) as scope:
        queued = await queue_abuse_notes(
            scope,
            ["maria"],
            client_id=client_id,
            event_id="C-acme:1700000000.000100",
            payload={"report": {"evidence_text": "the start of what the client wrote"}},
        )
        await scope.uow.commit()
    assert len(queued) == 1
    preview = await ws.run(ForgetClient("Acme Corp"), as_user="maria")
    confirm = next(block for block in preview.blocks if isinstance(block, Actions)).buttons[0]
    await ws.run(confirm.command, as_user="maria")
    async with ws.services.unit_of_work() as uow:
        assert await uow.outbox.with_key_prefix(ws.tenant_id, f"abuse-note:{client_id}:") == []
