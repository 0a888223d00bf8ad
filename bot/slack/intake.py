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

Both HTTP and Socket Mode requests come through bolt's listeners to here.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from enum import StrEnum
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.people import Workspace, workspace_of
from bot.slack.web_clients import InstalledClients
from skills.core.context import Services
from storage.repositories.accepted_requests import Claim

log = logging.getLogger(__name__)

# How long shutting down waits for the requests being handled; the rest are handed over.
CLOSE_SECONDS = 10
# A request taken over this many times (its process died, or shut down before handling it) is
# given up: it may be what kills the processes that handle it.
MAX_ATTEMPTS = 3
# Slack refuses a replay older than five minutes (the signature window); keys are kept longer.
KEEP_HANDLED = timedelta(hours=1)
SWEEP_BATCH = 50
# Requests one process handles at once. A flood of them once took every database connection
# (PostgreSQL's pool holds 15), and the acknowledgements, which need one too, waited behind
# them; the rest wait their turn, their leases renewed. Under such a flood a request that opens
# a form can miss Slack's three seconds for it; the person is told to try again.
MAX_HANDLING = 16
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
        self._slots = asyncio.Semaphore(MAX_HANDLING)
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

        A store that takes longer than ``STORE_SECONDS`` raises ``TimeoutError`` unacknowledged
        (bolt answers Slack with an error), and its transaction rolls back."""
        stored = {name: value for name, value in body.items() if name not in NOT_STORED}
        async with asyncio.timeout(STORE_SECONDS), self._services.unit_of_work() as uow:
            claim = await uow.accepted_requests.accept(
                request_key=request_key(body),
                kind=kind.value,
                body=stored,
                team_id=workspace.team_id,
                enterprise_id=workspace.enterprise_id,
                org_wide=workspace.org_wide,
                clock=self._services.clock,
                lease=self._lease,
            )
            await uow.commit()
        await ack()
        if claim is None:
            log.info("a %s request arrived again; it was handled once already", kind.value)
            return
        self._start(claim, kind, body, client, workspace)

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
            return
        renewing = asyncio.create_task(self._renew_forever())
        _done, late = await asyncio.wait(set(self._handling), timeout=CLOSE_SECONDS)
        unfinished = [self._handling[task] for task in late]
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        await _stopped(renewing)
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
            async with self._slots:
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
        try:
            async with self._services.unit_of_work() as uow:
                settled = await uow.accepted_requests.settle(claim, now=self._services.clock())
                await uow.commit()
        except Exception:  # the database away: the lease runs out and the request is swept
            log.exception("request %d could not be marked handled", claim.request_id)
            return
        if not settled:
            log.warning("request %d was taken over by another process", claim.request_id)

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
