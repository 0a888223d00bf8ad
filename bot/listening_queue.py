"""Heard messages go to the database in batches: a message event waits a few milliseconds for
company instead of a transaction of its own, so one process keeps up with a busy workspace.

The event is acknowledged before it is queued, so a crash loses the messages answered but not
yet counted (the Slack message lane holds at most ``MAX_HEARING`` of them): counters are
signals, and the trade is written down in docs/listening.md.
"""

import asyncio
import contextlib
import logging

from skills.core.context import Services
from skills.listening.hearing import Heard, HeardMessage, hear_many

log = logging.getLogger(__name__)

MAX_BATCH = 200
MAX_WAIT = 0.02


class ListeningQueue:
    """Gathers messages and hands each batch to ``hear_many``, one batch at a time."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._pending: list[tuple[HeardMessage, asyncio.Future[Heard]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def hear(self, message: HeardMessage) -> Heard:
        """Count the message with the others of its batch; what hearing it did."""
        future: asyncio.Future[Heard] = asyncio.get_running_loop().create_future()
        self._pending.append((message, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def close(self) -> None:
        """Let the batches already gathered go to the database."""
        if self._flusher is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher

    async def _flush(self) -> None:
        while self._pending:
            await asyncio.sleep(MAX_WAIT)
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                results = await hear_many(self._services, [message for message, _ in batch])
            except Exception as error:  # the database is away: these are lost, and logged
                log.exception("%d heard messages not counted", len(batch))
                for _message, future in batch:
                    if not future.done():  # its handler may have been cancelled meanwhile
                        future.set_exception(error)
                continue
            for (_message, future), heard in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(heard)
