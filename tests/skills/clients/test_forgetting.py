"""Forgetting a client: for managers, after a preview; everything goes, the audit trail too."""

from datetime import UTC, datetime

from skills.commands import ExportClient, ForgetClient
from skills.listening.hearing import hear
from skills.replies import Actions
from tests.support.scenarios import heard_message, linked_client
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
    gone = await ws.run(ExportClient("Acme Corp"), as_user="maria")
    assert gone.data["error"] == "unknown_client"
    relinked = await hear(ws.services, heard_message(ws, "f2", client=True, text="Hi", at=MONDAY))
    assert relinked.client_id is None
    async with ws.services.unit_of_work() as uow:
        for subject in ("Acme Corp", "acmecorp"):
            assert await uow.audit.for_subject(ws.tenant_id, "client", subject) == []
