"""Slack requests acknowledged only once they are stored, and handled after (at least once).

Slash commands, the message shortcut and buttons are answered with an empty acknowledgement
and handled after it (Slack allows three seconds). An acknowledgement is a promise to the
person, so the request is written to the database before it: the ``accepted_requests`` table
(docs/architecture.md). The process that acknowledged it handles it at once; shutting down waits
for what is being handled and hands the rest over; a process that died leaves its requests to
whichever process sweeps next, once their lease runs out. Each request is keyed by its
``trigger_id`` (one per invocation), so a replayed request within Slack's signature window is
acknowledged again and handled no more. The work and the mark "handled" are two transactions: a
process that dies between them hands the request over again, and reports, keyed by the same
``trigger_id``, are filed once all the same.

Under a flood the acknowledgements go first. Requests that arrive while the previous batch is
being written are written together, in one transaction, and each is acknowledged once it has
committed; a lone request is written at once. The marks "handled" are gathered the same way. No
new request begins to be handled while acknowledgements wait to be written, and only a few are
handled at once, so a batch waits behind a few transactions at most, never behind a flood.

Both HTTP and Socket Mode requests come through bolt's listeners to here.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.people import Workspace, workspace_of
from bot.slack.web_clients import InstalledClients
from skills.core.context import Services
from storage.repositories.accepted_requests import Claim, NewRequest

log = logging.getLogger(__name__)

# How long shutting down waits for the requests being handled; the rest are handed over.
CLOSE_SECONDS = 10
# A request taken over this many times (its process died, or shut down before handling it) is
# given up: it may be what kills the processes that handle it.
MAX_ATTEMPTS = 3
# Slack refuses a replay older than five minutes (the signature window); keys are kept longer.
KEEP_HANDLED = timedelta(hours=1)
SWEEP_BATCH = 50
# Requests one process handles at once; the rest wait their turn, their leases renewed. A batch
# of acknowledgements waits at most behind one transaction of each (SQLite has one connection;
# with sixteen, PostgreSQL's pool of 15 was once taken whole), and sixteen filed no faster than
# four (bench/report.py, BENCHMARKS.md). Under a flood a request that opens a form can miss
# Slack's three seconds for it; the person is told to try again.
MAX_HANDLING = 4
# Requests written in one transaction, at most: one statement's parameters stay far below every
# database's limit, and one slow batch delays few acknowledgements.
ACCEPT_BATCH = 100
# Marks "handled" written in one transaction, at most.
SETTLE_BATCH = 200
# Slack waits three seconds for the acknowledgement: storing the request may take most of it,
# no more. Past this, the request is not acknowledged (Slack tells the person it failed), so a
# retry by the person is not handled twice.
STORE_SECONDS = 2.5
# What Slack's payloads carry that handling never reads and the table need not keep: the
# legacy verification token.
NOT_STORED = frozenset({"token"})

Ack = Callable[..., Awaitable[None]]
Handler = Callable[[dict[str, Any], AsyncWebClient, Workspace], Awaitable[None]]
# Tells the person their request failed, as best it can (the handler raised).
Apology = Callable[[dict[str, Any]], Awaitable[None]]


class RequestKind(StrEnum):
    """What a stored request is, and so which handler takes it."""

    COMMAND = "command"
    SHORTCUT = "shortcut"
    BUTTON = "button"


class RequestIntake:
    """Stores each request before it is acknowledged; handles it after, once."""

    def __init__(
        self,
        services: Services,
        installed: InstalledClients,
        handlers: Mapping[RequestKind, Handler],
        apologise: Apology,
        *,
        lease: timedelta,
        sweep_every: timedelta,
    ) -> None:
        self._services = services
        self._installed = installed
        self._handlers = handlers
        self._apologise = apologise
        self._lease = lease
        self._sweep_every = sweep_every
        self._handling: dict[asyncio.Task[None], Claim] = {}
        self._turns = _AcksFirst(MAX_HANDLING)
        self._accepts = _Batches(self._store, ACCEPT_BATCH, self._turns)
        self._settles = _Batches(self._write_settled, SETTLE_BATCH)
        self._sweeper: asyncio.Task[None] | None = None

    def listener(self, kind: RequestKind) -> Callable[..., Awaitable[None]]:
        """A bolt listener for ``kind`` (bolt passes what the parameters name)."""

        async def accept(
            ack: Ack, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
        ) -> None:
            await self.accept(kind, body, client, workspace_of(context), ack)

        return accept

    async def accept(
        self,
        kind: RequestKind,
        body: dict[str, Any],
        client: AsyncWebClient,
        workspace: Workspace,
        ack: Ack,
    ) -> None:
        """Store the request, acknowledge it, and handle it unless it was accepted before.

        The request is written with those arriving meanwhile, in one transaction. A store that
        takes longer than ``STORE_SECONDS`` raises ``TimeoutError`` unacknowledged (bolt answers
        Slack with an error), and the request is not kept."""
        request = NewRequest(
            request_key=request_key(body),
            kind=kind.value,
            body={name: value for name, value in body.items() if name not in NOT_STORED},
            team_id=workspace.team_id,
            enterprise_id=workspace.enterprise_id,
            org_wide=workspace.org_wide,
        )
        async with asyncio.timeout(STORE_SECONDS):
            claim = await self._accepts.write(request)
        await ack()
        if claim is None:
            log.info("a %s request arrived again; it was handled once already", kind.value)
            return
        self._start(claim, kind, body, client, workspace)

    async def _store(self, batch: list["_Waiting[NewRequest, Claim | None]"]) -> list[Claim | None]:
        """Write a batch of requests in one transaction: each one's claim, or None for a
        replay (of an earlier request, or of one earlier in the batch)."""
        firsts: dict[str, NewRequest] = {}
        for waiting in batch:
            firsts.setdefault(waiting.item.request_key, waiting.item)
        async with self._services.unit_of_work() as uow:
            claims = await uow.accepted_requests.accept(
                list(firsts.values()), clock=self._services.clock, lease=self._lease
            )
            self._accepts.seated()
            # A key's claim goes to its first caller still waiting; a request whose every
            # caller gave up (past STORE_SECONDS) is not acknowledged, so it is not kept either.
            results: list[Claim | None] = []
            for waiting in batch:
                alive = not waiting.future.done()
                results.append(claims.pop(waiting.item.request_key, None) if alive else None)
            if claims:
                await uow.accepted_requests.withdraw(list(claims.values()))
            await uow.commit()
        # A caller whose time ran out while the commit was under way was not acknowledged
        # either: its request goes too, or the sweep would handle what Slack said had failed.
        late = [
            claim
            for waiting, claim in zip(batch, results, strict=True)
            if claim is not None and waiting.future.done()
        ]
        if late:
            async with self._services.unit_of_work() as uow:
                await uow.accepted_requests.withdraw(late)
                await uow.commit()
        return results

    def start(self) -> None:
        """Begin renewing the leases of the requests this process holds, and looking for
        requests that a process which died left unhandled."""
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def close(self) -> None:
        """Stop sweeping; let the requests being handled finish (for at most
        ``CLOSE_SECONDS``, their leases still renewed) and hand the others over to the next
        process."""
        await _stopped(self._sweeper)
        if not self._handling:
            await self._settles.drained()
            return
        renewing = asyncio.create_task(self._renew_forever())
        _done, late = await asyncio.wait(set(self._handling), timeout=CLOSE_SECONDS)
        unfinished = [self._handling[task] for task in late]
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        await _stopped(renewing)
        await self._settles.drained()
        if unfinished:
            log.warning("%d requests were still being handled; handed over", len(unfinished))
            async with self._services.unit_of_work() as uow:
                await uow.accepted_requests.release(unfinished, now=self._services.clock())
                await uow.commit()

    async def sweep(self) -> int:
        """Take over the requests whose process died before handling them; the number
        taken."""
        now = self._services.clock()
        async with self._services.unit_of_work() as uow:
            claimed = await uow.accepted_requests.claim_abandoned(
                now=now, lease=self._lease, limit=SWEEP_BATCH
            )
            await uow.accepted_requests.purge_handled(before=now - KEEP_HANDLED)
            await uow.commit()
        for claim, row in claimed:
            if row.attempts > MAX_ATTEMPTS or row.body is None:
                log.error("request %d given up after %d attempts", claim.request_id, MAX_ATTEMPTS)
                if row.body is not None:
                    await self._apologise_for(RequestKind(row.kind), row.body)
                await self._settle(claim)
                continue
            found = await self._installed.find(
                row.enterprise_id, row.team_id, org_wide=row.org_wide
            )
            if found is None:  # uninstalled since: nobody left to answer
                await self._settle(claim)
                continue
            self._start(claim, RequestKind(row.kind), row.body, *found)
        return len(claimed)

    def _start(
        self,
        claim: Claim,
        kind: RequestKind,
        body: dict[str, Any],
        client: AsyncWebClient,
        workspace: Workspace,
    ) -> None:
        task = asyncio.create_task(self._handle(claim, kind, body, client, workspace))
        # The loop keeps only weak references to tasks: this mapping keeps them to the end.
        self._handling[task] = claim
        task.add_done_callback(self._forget_task)

    def _forget_task(self, task: asyncio.Task[None]) -> None:
        self._handling.pop(task, None)

    async def _handle(
        self,
        claim: Claim,
        kind: RequestKind,
        body: dict[str, Any],
        client: AsyncWebClient,
        workspace: Workspace,
    ) -> None:
        try:
            async with self._turns.turn():
                await self._handlers[kind](body, client, workspace)
        except Exception:  # one request's failure must not touch the others; it is not retried
            log.exception("a %s request failed", kind.value)
            await self._apologise_for(kind, body)
        await self._settle(claim)

    async def _apologise_for(self, kind: RequestKind, body: dict[str, Any]) -> None:
        try:
            await self._apologise(body)
        except Exception:  # Slack away too: the failure is in the log already
            log.exception("the apology for a failed %s request failed", kind.value)

    async def _settle(self, claim: Claim) -> None:
        """Mark the request handled, with the others handled meanwhile."""
        try:
            settled = await self._settles.write(claim)
        except Exception:  # the database away: the lease runs out and the request is swept
            log.exception("request %d could not be marked handled", claim.request_id)
            return
        if not settled:
            log.warning("request %d was taken over by another process", claim.request_id)

    async def _write_settled(self, batch: list["_Waiting[Claim, bool]"]) -> list[bool]:
        async with self._services.unit_of_work() as uow:
            settled = await uow.accepted_requests.settle(
                [waiting.item for waiting in batch], now=self._services.clock()
            )
            await uow.commit()
        return [waiting.item in settled for waiting in batch]

    async def renew(self) -> None:
        """Extend the leases of the requests this process holds (being handled, or waiting
        for a turn), so that no other process takes them over while they are only slow."""
        if not self._handling:
            return
        async with self._services.unit_of_work() as uow:
            await uow.accepted_requests.renew(
                list(self._handling.values()), now=self._services.clock(), lease=self._lease
            )
            await uow.commit()

    async def _sweep_forever(self) -> None:
        # Renewals come at least three times a lease, whatever the sweep interval.
        pause = min(self._sweep_every, self._lease / 3).total_seconds()
        while True:
            try:
                await self.renew()
                await self.sweep()
            except Exception:  # the database may be away for a moment; try again later
                log.exception("looking after acknowledged requests failed")
            await asyncio.sleep(pause)

    async def _renew_forever(self) -> None:
        while True:
            try:
                await self.renew()
            except Exception:  # the database may be away for a moment; try again later
                log.exception("renewing the leases of acknowledged requests failed")
            await asyncio.sleep((self._lease / 3).total_seconds())


@dataclass
class _Waiting[Item, Result]:
    """An item to write, and its caller waiting for the result."""

    item: Item
    future: asyncio.Future[Result]


class _Batches[Item, Result]:
    """Writes gathered: the items that arrive while a batch is being written are written next,
    together (at most ``limit`` at a time); an item arriving when none is being written is
    written at once. ``write`` takes a batch and returns each item's result in order; when it
    raises, every caller of the batch gets the error."""

    def __init__(
        self,
        write: Callable[[list[_Waiting[Item, Result]]], Awaitable[list[Result]]],
        limit: int,
        gate: "_AcksFirst | None" = None,
    ) -> None:
        self._write = write
        self._limit = limit
        self._gate = gate
        self._waiting: list[_Waiting[Item, Result]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, item: Item) -> Result:
        """``item`` written with the others waiting; its result. A caller that stops waiting
        before its batch is taken is left out of it."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        waiting = _Waiting(item, future)
        self._waiting.append(waiting)
        if self._gate is not None:
            self._gate.waiting()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_all())
        return await waiting.future

    def seated(self) -> None:
        """Called by ``write`` once its batch holds a connection: the gate opens unless more
        items wait."""
        if self._gate is not None and not self._waiting:
            self._gate.seated()

    async def drained(self) -> None:
        """Return once everything handed in is written."""
        while self._writer is not None:
            await asyncio.shield(self._writer)

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch = [
                    waiting for waiting in self._waiting[: self._limit] if not waiting.future.done()
                ]
                del self._waiting[: self._limit]
                if batch:
                    await self._write_batch(batch)
        finally:
            self._writer = None
            if self._gate is not None:
                self._gate.seated()
            for waiting in self._waiting:  # only when cancelled: nobody is left to write them
                waiting.future.cancel()
            self._waiting.clear()

    async def _write_batch(self, batch: list[_Waiting[Item, Result]]) -> None:
        try:
            results = await self._write(batch)
        except Exception as error:
            for waiting in batch:
                if not waiting.future.done():
                    waiting.future.set_exception(error)
            return
        except BaseException:
            for waiting in batch:
                waiting.future.cancel()
            raise
        for waiting, result in zip(batch, results, strict=True):
            if not waiting.future.done():
                waiting.future.set_result(result)


class _AcksFirst:
    """Turns to handle requests: at most ``limit`` at once, and none begun while
    acknowledgements wait for the database; once their batch holds a connection, handling
    goes on."""

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._clear = asyncio.Event()
        self._clear.set()

    def waiting(self) -> None:
        """Requests wait to be written: handling waits for them to be seated."""
        self._clear.clear()

    def seated(self) -> None:
        """No acknowledgement waits for the database any more."""
        self._clear.set()

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the turns while handling a request."""
        async with self._slots:
            await self._clear.wait()
            yield


async def _stopped(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` and wait until it has stopped."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def request_key(body: dict[str, Any]) -> str:
    """One key per invocation: Slack's ``trigger_id``, which a replay repeats."""
    trigger = body.get("trigger_id")
    if not trigger:
        raise ValueError("a Slack request to handle later needs its trigger_id")
    return f"slack:{trigger}"
