"""The listening queue: concurrent messages share batches, and each gets its own answer."""

import asyncio
from datetime import UTC, datetime

from bot.listening_queue import ListeningQueue
from skills.commands import ExportClient, LinkChannel
from skills.listening.hearing import HeardMessage
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def test_concurrent_messages_are_counted_in_batches_each_once(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.run(LinkChannel("Acme Corp", channel="C-q"))
    queue = ListeningQueue(workspace.services)
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def message(event: str, channel: str = "C-q") -> HeardMessage:
        return HeardMessage(workspace.tenant_id, channel, event, True, at, "Any news?")

    heard = await asyncio.gather(
        *(queue.hear(message(f"e{number % 250}")) for number in range(300)),
        queue.hear(message("elsewhere", channel="C-unlinked")),
    )
    await queue.close()
    assert sum(1 for item in heard if item.counted) == 250  # 50 redeliveries counted once
    assert heard[-1].client_id is None
    export = await workspace.run(ExportClient("Acme Corp"), as_user="maria")
    [week] = export.data["export"]["signals"]
    assert week["client_messages"] == 250
