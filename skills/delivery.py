"""Delivering the outbox: the platform-neutral half of the dispatcher.

The dispatcher (``bot/worker``) claims due rows here, asks a platform's notifier to send what
these functions compose, and settles each row here: sent (with where the platform put it),
retried later with exponential backoff (never sooner than the platform's ``Retry-After``), or
parked after too many failures for a person to look at.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from skills.context import Actor, Services
from skills.escalation_card import escalation_card
from skills.outbox_messages import (
    ADMINS_RECIPIENT,
    ESCALATION_COPIES,
    MessageKind,
    escalation_key,
    queue_to_managers,
)
from skills.replies import Reply
from skills.scope import open_scope
from skills.strikes import lock_current
from skills.summary_chart import Chart
from skills.weekly_summary import weekly_summary
from storage.models import AuditEvent, OutboxMessage
from storage.repositories.outbox import PENDING, SENT

SYSTEM_USER = "yellowcard"
MAX_BACKOFF = timedelta(hours=1)
REMINDER_BATCH = 200


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is retried."""

    max_attempts: int = 8
    base_delay: timedelta = timedelta(seconds=5)
    lease: timedelta = timedelta(seconds=60)

    def delay(self, attempts: int, retry_after: float | None) -> timedelta:
        """Exponential backoff with jitter, and never sooner than the platform asked."""
        backoff = min(self.base_delay * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
        jittered: timedelta = backoff * random.uniform(0.8, 1.2)
        return max(jittered, timedelta(seconds=retry_after or 0))


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


async def settle_sent(
    services: Services, message_id: int, *, channel: str | None, platform_message_id: str | None
) -> None:
    """Record a delivery."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message_id)
        if row is not None:
            uow.outbox.mark_sent(
                row, at=services.clock(), channel=channel, message_id=platform_message_id
            )
            await uow.commit()


async def record_progress(
    services: Services, message_id: int, *, channel: str, platform_message_id: str
) -> None:
    """Record the first part of a message delivered, so a retry sends only the rest."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message_id)
        if row is not None:
            uow.outbox.mark_progress(row, channel=channel, message_id=platform_message_id)
            await uow.commit()


async def settle_failed(
    services: Services,
    message_id: int,
    *,
    error: str,
    policy: RetryPolicy,
    retry_after: float | None = None,
    permanent: bool = False,
) -> str:
    """Retry the row later, or park it when the failure is permanent or keeps happening.

    Returns the row's status afterwards.
    """
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message_id)
        if row is None:
            return "gone"
        if permanent or row.attempts >= policy.max_attempts:
            uow.outbox.park(row, error=error)
            await uow.audit.record(
                AuditEvent(
                    tenant_id=row.tenant_id,
                    at=services.clock(),
                    actor_id=SYSTEM_USER,
                    action="outbox.parked",
                    outcome="failed",
                    subject_type="outbox",
                    subject_id=str(row.id),
                    detail={"kind": row.kind, "recipient": row.recipient_id, "error": error},
                )
            )
        else:
            due = services.clock() + policy.delay(row.attempts, retry_after)
            uow.outbox.retry_later(row, due_at=due, error=error)
        await uow.commit()
        return row.status


async def defer(services: Services, message_id: int, delay: timedelta) -> None:
    """Put the row back for later without counting this claim as a failed attempt."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message_id)
        if row is not None:
            row.attempts = max(row.attempts - 1, 0)
            uow.outbox.retry_later(row, due_at=services.clock() + delay, error=row.last_error or "")
            await uow.commit()


async def expand_to_people(services: Services, message_id: int, people: list[str]) -> int:
    """Replace a message to ``@admins`` with one message per person; how many were queued."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message_id)
        if row is None or row.status != PENDING:
            return 0
        stem = row.dedupe_key.removesuffix(ADMINS_RECIPIENT)
        queued = 0
        for person in people:
            copy = OutboxMessage(
                tenant_id=row.tenant_id,
                dedupe_key=f"{stem}{person}",
                kind=row.kind,
                recipient_id=person,
                payload=dict(row.payload),
                created_at=row.created_at,
                due_at=services.clock(),
            )
            queued += await uow.outbox.add(copy)
        uow.outbox.mark_sent(row, at=services.clock(), channel=None, message_id=None)
        await uow.commit()
        return queued


async def escalation_copies(
    services: Services, message: OutboxMessage
) -> tuple[list[OutboxMessage], bool]:
    """The sent copies of the escalation a refresh is about, and whether a copy is still
    waiting to be sent (then the refresh waits too, so no copy keeps stale buttons)."""
    escalation_id = int(message.payload["escalation_id"])
    async with services.unit_of_work() as uow:
        rows = await uow.outbox.with_key_prefix(message.tenant_id, escalation_key(escalation_id))
        await uow.commit()  # a rollback would expire the rows handed back
    copies = [row for row in rows if row.kind in ESCALATION_COPIES]
    waiting = any(row.status == PENDING for row in copies)
    sent = [row for row in copies if row.status == SENT and row.platform_message_id]
    return sent, waiting


def reader_of(message: OutboxMessage) -> Actor:
    """Who a message is drawn for: its recipient (a manager sees reporters' names)."""
    return Actor(message.tenant_id, message.recipient_id, message.recipient_id, is_admin=True)


async def escalation_message(services: Services, message: OutboxMessage) -> Reply | None:
    """A ping or reminder as its recipient sees it now; None when the escalation is gone."""
    async with open_scope(services, reader_of(message)) as scope:
        escalation = await scope.uow.escalations.get(
            message.tenant_id, int(message.payload["escalation_id"])
        )
        if escalation is None:
            return None
        reminder = message.kind == MessageKind.MANAGER_REMINDER.value
        return await escalation_card(scope, escalation, reminder=reminder)


async def summary_notification(services: Services, message: OutboxMessage) -> tuple[Reply, Chart]:
    """The weekly summary a row asks for, with its chart."""
    system = Actor(message.tenant_id, SYSTEM_USER, "Yellowcard")
    async with open_scope(services, system) as scope:
        start = datetime.fromisoformat(str(message.payload["start"]))
        end = datetime.fromisoformat(str(message.payload["end"]))
        summary = await weekly_summary(scope, start, end)
        return summary.reply, summary.chart


async def refuse_external_channel(services: Services, message: OutboxMessage) -> None:
    """Park a summary aimed at a channel shared with another organisation, and audit it."""
    async with services.unit_of_work() as uow:
        row = await uow.outbox.lock(message.id or 0)
        if row is None:
            return
        error = "refused: the channel is shared with another organisation"
        uow.outbox.park(row, error=error)
        await uow.audit.record(
            AuditEvent(
                tenant_id=row.tenant_id,
                at=services.clock(),
                actor_id=SYSTEM_USER,
                action="summary.refused",
                outcome="refused",
                subject_type="channel",
                subject_id=row.recipient_id,
                detail={"reason": "external_channel"},
            )
        )
        await uow.commit()


async def queue_due_reminders(services: Services) -> int:
    """Queue a reminder to every manager of each escalation left unanswered for the tenant's
    reminder interval; how many escalations were reminded."""
    now = services.clock()
    async with services.unit_of_work() as uow:
        candidates = await uow.escalations.due_for_reminder(
            now - timedelta(days=1), limit=REMINDER_BATCH
        )
        await uow.commit()  # a rollback would expire the escalations handed back
    reminded = 0
    for candidate in candidates:
        system = Actor(candidate.tenant_id, SYSTEM_USER, "Yellowcard")
        async with open_scope(services, system) as scope:
            # Catch the client up first: strikes that expired close the escalation instead.
            await lock_current(scope, candidate.client_id)
            escalation = await scope.uow.escalations.lock(scope.tenant.id, candidate.id or 0)
            if escalation is None or escalation.status != "open":
                await scope.uow.commit()
                continue
            last = escalation.last_reminded_at or escalation.opened_at
            if now - last < timedelta(days=scope.tenant.reminder_days):
                await scope.uow.commit()
                continue
            escalation.reminders_sent += 1
            escalation.last_reminded_at = now
            await scope.uow.escalations.save(escalation)
            label = f"reminder:{escalation.reminders_sent}"
            await queue_to_managers(scope, escalation, MessageKind.MANAGER_REMINDER, label)
            await scope.audit(
                "escalation.reminded",
                subject=("escalation", str(escalation.id)),
                reminder=escalation.reminders_sent,
            )
            await scope.uow.commit()
            reminded += 1
    return reminded


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
