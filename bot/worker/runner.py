"""Runs the dispatcher and the scheduler as background loops, until stopped."""

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Gauge

from bot.worker.dispatcher import Dispatcher
from bot.worker.scheduler import Scheduler
from skills.core.context import Services
from skills.outbox.delivery import outbox_counts
from storage.models import OutboxStatus

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10


class Worker:
    """The dispatcher every ``poll`` seconds and the scheduler every ``tick`` seconds."""

    def __init__(
        self,
        services: Services,
        dispatcher: Dispatcher,
        *,
        poll_seconds: float,
        tick_seconds: float,
        registry: CollectorRegistry,
    ) -> None:
        self._services = services
        self._dispatcher = dispatcher
        self._scheduler = Scheduler(services, f"{os.uname().nodename}:{os.getpid()}")
        self._poll = poll_seconds
        self._tick = tick_seconds
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self._queue = Gauge(
            "yellowcard_outbox_queue",
            "Outbox messages by status (pending, parked), as of the last scheduler tick.",
            ["status"],
            registry=registry,
        )

    def start(self) -> None:
        """Start both loops on the running event loop."""
        self._tasks = [
            asyncio.create_task(self._every(self._poll, self._dispatcher.run_once)),
            asyncio.create_task(self._every(self._tick, self._scheduled)),
        ]

    async def stop(self) -> None:
        """Let the round in progress finish (a transaction is never cut in half), then stop.

        A round that takes longer than ``STOP_GRACE_SECONDS`` is cancelled; a message it was
        sending comes due again when its lease ends.
        """
        self._stopping.set()
        _done, late = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
        for task in late:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _scheduled(self) -> object:
        result = await self._scheduler.tick()
        counts = await outbox_counts(self._services)
        for status in (OutboxStatus.PENDING, OutboxStatus.PARKED):
            self._queue.labels(status).set(counts.get(status, 0))
        return result

    async def _every(self, seconds: float, work: Callable[[], Awaitable[object]]) -> None:
        while not self._stopping.is_set():
            try:
                await work()
            except Exception:  # the database may be away for a moment; try again next round
                log.exception("background work failed; trying again in %s s", seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
