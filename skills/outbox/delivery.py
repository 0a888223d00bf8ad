"""Delivering the outbox: the platform-neutral half of the dispatcher.

The dispatcher (``bot/worker``) claims due rows here, asks a platform's notifier to send what
these functions compose, and settles each row here: sent (with where the platform put it),
skipped, retried later with exponential backoff (never sooner than the platform's
``Retry-After``), or parked after too many failures for a person to look at.

Every settling function takes the row as it was claimed and changes it only while that claim is
still the current one, so a dispatcher whose lease ran out cannot overwrite another's work.
"""

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from skills.clients.export import export_file
from skills.core.context import SYSTEM_USER, Actor, Services, system_actor
from skills.core.scope import open_scope
from skills.core.welcome import welcome
from skills.escalation.card import escalation_card
from skills.integrations.matching import unmatched_notice
from skills.listening.abuse_note import queued_note, without_message
from skills.outbox.files import DESTINATION, OutgoingFile, without_destination
from skills.outbox.messages import ADMINS_RECIPIENT, ESCALATION_COPIES, MessageKind, escalation_key
from skills.replies import Reply
from skills.summary.chart import Chart
from skills.summary.weekly import weekly_summary
from storage.models import AuditEvent, OutboxMessage, OutboxStatus
from storage.unit_of_work import UnitOfWork

MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is retried, and how long a claim lasts."""

    max_attempts: int = 8
    base_delay: timedelta = timedelta(seconds=5)
    lease: timedelta = timedelta(seconds=60)

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        """Exponential backoff with jitter, and never sooner than the platform asked."""
        backoff = min(self.base_delay * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
        jittered: timedelta = backoff * random.uniform(0.8, 1.2)
        return max(jittered, timedelta(seconds=retry_after or 0))

    @property
    def call_timeout(self) -> timedelta:
        """The longest one platform call may take: half the lease."""
        return self.lease / 2

    def may_send(self, claimed: OutboxMessage, now: datetime) -> bool:
        """Whether enough of the claim's lease is left for one call to finish within it, so
        a send never overlaps another dispatcher's claim of the same row."""
        return claimed.due_at - now >= self.call_timeout


async def claim_due(
    services: Services,
    platform: str,
    tenant_ids: frozenset[str] | None,
    *,
    limit: int,
    policy: RetryPolicy,
) -> list[OutboxMessage]:
    """Take up to ``limit`` due rows of the platform's tenants (``tenant_ids`` only, when
    given) for one lease."""
    async with services.unit_of_work() as uow:
        rows = await uow.outbox.claim_due(
            now=services.clock(),
            lease=policy.lease,
            limit=limit,
            platform=platform,
            tenant_ids=tenant_ids,
        )
        await uow.commit()
        return rows


Change = Callable[[UnitOfWork, OutboxMessage], Awaitable[None]]


async def _settle(services: Services, claimed: OutboxMessage, change: Change) -> str | None:
    """Apply ``change`` to the row if the claim is still current; the row's status after, or
    None when the claim was lost."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock_claimed(claimed)
        if row is None:
            return None
        await change(uow, row)
        if row.kind == MessageKind.ABUSE_NOTE and row.status != OutboxStatus.PENDING:
            # Listening keeps no message text: a note holds its start only until it is settled.
            row.payload = without_message(row.payload)
        if DESTINATION in row.payload and row.status != OutboxStatus.PENDING:
            # A file's upload address lets anyone holding it write there: kept until used.
            row.payload = without_destination(row.payload)
        await uow.commit()
        return row.status


async def settle_sent(
    services: Services,
    claimed: OutboxMessage,
    *,
    channel: str | None,
    platform_message_id: str | None,
) -> None:
    """Record a delivery, and where the platform put it."""

    async def sent(uow: UnitOfWork, row: OutboxMessage) -> None:
        uow.outbox.mark_sent(
            row, at=services.clock(), channel=channel, message_id=platform_message_id
        )

    await _settle(services, claimed, sent)


async def skip(services: Services, claimed: OutboxMessage, reason: str) -> None:
    """Settle a row that no longer needs sending."""

    async def skipped(uow: UnitOfWork, row: OutboxMessage) -> None:
        uow.outbox.mark_skipped(row, reason=reason)

    await _settle(services, claimed, skipped)


async def record_progress(
    services: Services, claimed: OutboxMessage, *, channel: str, platform_message_id: str
) -> None:
    """Record the first part of a message delivered, so a retry sends only the rest."""

    async def progressed(uow: UnitOfWork, row: OutboxMessage) -> None:
        uow.outbox.mark_progress(row, channel=channel, message_id=platform_message_id)

    await _settle(services, claimed, progressed)


async def settle_failed(
    services: Services,
    claimed: OutboxMessage,
    *,
    error: str,
    policy: RetryPolicy,
    retry_after: float | None = None,
    permanent: bool = False,
) -> str | None:
    """Retry the row later, or park it when the failure is permanent or keeps happening.

    Returns the row's status afterwards (None when the claim was lost meanwhile).
    """

    async def failed(uow: UnitOfWork, row: OutboxMessage) -> None:
        if permanent or row.attempts >= policy.max_attempts:
            await _park(services, uow, row, error=error, action="outbox.parked")
        else:
            due = services.clock() + policy.delay(row.attempts, retry_after)
            uow.outbox.retry_later(row, due_at=due, error=error)

    return await _settle(services, claimed, failed)


async def refuse_external_channel(services: Services, claimed: OutboxMessage) -> None:
    """Park a summary aimed at a channel shared with another organisation, and audit it."""

    async def refused(uow: UnitOfWork, row: OutboxMessage) -> None:
        error = "refused: the channel is shared with another organisation"
        await _park(services, uow, row, error=error, action="summary.refused")

    await _settle(services, claimed, refused)


async def _park(
    services: Services, uow: UnitOfWork, row: OutboxMessage, *, error: str, action: str
) -> None:
    uow.outbox.park(row, error=error)
    await uow.audit.record(
        AuditEvent(
            tenant_id=row.tenant_id,
            at=services.clock(),
            actor_id=SYSTEM_USER,
            action=action,
            outcome=OutboxStatus.PARKED,
            subject_type="outbox",
            subject_id=str(row.id),
            detail={"kind": row.kind, "recipient": row.recipient_id, "error": error},
        )
    )


async def defer(services: Services, claimed: OutboxMessage, until: datetime) -> None:
    """Put the row back until ``until`` without counting this claim as a failed attempt."""

    async def deferred(uow: UnitOfWork, row: OutboxMessage) -> None:
        row.attempts = max(row.attempts - 1, 0)
        uow.outbox.retry_later(row, due_at=until, error=row.last_error or "")

    await _settle(services, claimed, deferred)


async def expand_to_people(services: Services, claimed: OutboxMessage, people: list[str]) -> None:
    """Replace a message to ``@admins`` with one message per person (each sent on its own)."""

    async def expanded(uow: UnitOfWork, row: OutboxMessage) -> None:
        stem = row.dedupe_key.removesuffix(ADMINS_RECIPIENT)
        for person in people:
            await uow.outbox.add(
                OutboxMessage(
                    tenant_id=row.tenant_id,
                    dedupe_key=f"{stem}{person}",
                    kind=row.kind,
                    recipient_id=person,
                    payload=dict(row.payload),
                    created_at=row.created_at,
                    due_at=services.clock(),
                )
            )
        uow.outbox.mark_sent(row, at=services.clock(), channel=None, message_id=None)

    await _settle(services, claimed, expanded)


@dataclass(frozen=True)
class Copies:
    """The copies of an escalation's message: those sent, and when the last one still
    pending is due (None when none is)."""

    sent: list[OutboxMessage]
    pending_until: datetime | None


async def escalation_copies(services: Services, message: OutboxMessage) -> Copies:
    """The copies (pings and reminders) of the escalation a refresh is about."""
    escalation_id = int(message.payload["escalation_id"])
    async with services.unit_of_work() as uow:
        rows = await uow.outbox.with_key_prefix(message.tenant_id, escalation_key(escalation_id))
        await uow.commit()  # a rollback would expire the rows handed back
    copies = [row for row in rows if row.kind in ESCALATION_COPIES]
    pending = [row.due_at for row in copies if row.status == OutboxStatus.PENDING]
    sent = [row for row in copies if row.status == OutboxStatus.SENT and row.platform_message_id]
    return Copies(sent, max(pending, default=None))


async def reader_of(services: Services, message: OutboxMessage) -> Actor:
    """Who a message is drawn for: its recipient, in the language they chose for themselves
    (else the tenant's). Pings go only to managers (the tenant's list, or the admins who stand
    in for it), so the recipient is drawn as one: it sees reporters' names, as managers do."""
    locale = await services.locale_of(message.tenant_id, message.recipient_id, None)
    return Actor(
        message.tenant_id, message.recipient_id, message.recipient_id, locale, is_admin=True
    )


async def escalation_message(services: Services, message: OutboxMessage) -> Reply | None:
    """A ping or reminder as its recipient sees it now (``data["status"]`` says whether the
    escalation is still open); None when the escalation is gone."""
    async with open_scope(services, await reader_of(services, message)) as scope:
        escalation = await scope.uow.escalations.get(
            message.tenant_id, int(message.payload["escalation_id"])
        )
        if escalation is None:
            return None
        reminder = message.kind == MessageKind.MANAGER_REMINDER.value
        return await escalation_card(scope, escalation, reminder=reminder)


def abuse_note_message(reader: Actor, message: OutboxMessage) -> Reply:
    """A note about an abusive client message, as its recipient (``reader``, a manager) sees
    it."""
    return queued_note(reader, message.payload)


async def welcome_notification(services: Services, message: OutboxMessage) -> tuple[Reply, Actor]:
    """A person's welcome as they see it now, and who it is drawn for (as the platform
    described them when they were met, in the language they chose since, if any)."""
    payload = message.payload
    locale = await services.locale_of(
        message.tenant_id, message.recipient_id, payload.get("locale")
    )
    reader = Actor(
        message.tenant_id,
        message.recipient_id,
        message.recipient_id,
        locale,
        is_admin=bool(payload.get("admin")),
    )
    async with open_scope(services, reader) as scope:
        return welcome(scope), reader


async def summary_notification(services: Services, message: OutboxMessage) -> tuple[Reply, Chart]:
    """The weekly summary a row asks for, with its chart."""
    async with open_scope(services, system_actor(message.tenant_id)) as scope:
        start = datetime.fromisoformat(str(message.payload["start"]))
        end = datetime.fromisoformat(str(message.payload["end"]))
        summary = await weekly_summary(scope, start, end)
        return summary.reply, summary.chart


async def export_notification(
    services: Services, message: OutboxMessage
) -> tuple[Reply, OutgoingFile] | None:
    """The export a row asks for, drawn now for its recipient: the message that introduces it
    and the file; None when the client was forgotten since."""
    async with open_scope(services, await reader_of(services, message)) as scope:
        return await export_file(scope, int(message.payload["client_id"]))


async def unmatched_notification(services: Services, message: OutboxMessage) -> Reply | None:
    """The notice about an account no client is matched to, drawn now for its recipient (a
    manager); None when the account was matched (or its client forgotten) since."""
    async with open_scope(services, await reader_of(services, message)) as scope:
        account = await scope.uow.unmatched.get(
            message.tenant_id, int(message.payload["account_id"])
        )
        if account is None or account.matched_client_id is not None:
            return None
        return unmatched_notice(scope, account)


async def outbox_counts(services: Services) -> dict[str, int]:
    """How many outbox messages are in each status, across tenants (for the metrics)."""
    async with services.unit_of_work() as uow:
        return await uow.outbox.counts_by_status()


async def outbox_statuses(services: Services, message_ids: list[int]) -> dict[int, OutboxMessage]:
    """The rows with these ids as they are now."""
    async with services.unit_of_work() as uow:
        rows = [await uow.outbox.get(message_id) for message_id in message_ids]
        await uow.commit()  # a rollback would expire the rows handed back
    return {row.id or 0: row for row in rows if row is not None}
