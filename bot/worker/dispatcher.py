"""The outbox dispatcher: claims due messages, sends them through the platform's notifier, and
settles each one (sent, skipped, retried with backoff, or parked). It sends manager pings and
reminders, updates of their copies, weekly summaries, notes about abusive messages, welcomes,
clients' exports as files, and notices about accounts of other systems to match to clients.

Runs inside ``yellowcard serve`` and alone as ``yellowcard worker``; any number may run against
one database (see docs/operations.md).
"""

import logging
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter

from bot.worker.notifier import Delivered, DeliveryError, Notifier
from skills.core.context import Services
from skills.outbox.delivery import (
    RetryPolicy,
    abuse_note_message,
    claim_due,
    defer,
    escalation_copies,
    escalation_message,
    expand_to_people,
    export_notification,
    reader_of,
    record_progress,
    refuse_external_channel,
    settle_failed,
    settle_sent,
    skip,
    summary_notification,
    unmatched_notification,
    welcome_notification,
)
from skills.outbox.files import destination_of
from skills.outbox.messages import ADMINS_RECIPIENT, MessageKind
from skills.replies import Reply
from skills.suggestions.message import suggestion_message
from storage.models import EscalationStatus, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

BATCH = 20
# Settles a message that went to no single place (a refresh of several copies).
NOWHERE = Delivered("", "")


class Dispatcher:
    """Delivers the outbox of every tenant whose platform has a notifier here."""

    def __init__(
        self,
        services: Services,
        notifiers: dict[str, Notifier],
        policy: RetryPolicy,
        registry: CollectorRegistry,
    ) -> None:
        self._services = services
        self._notifiers = notifiers
        self._policy = policy
        self._outcomes = Counter(
            "yellowcard_outbox_messages",
            "Outbox messages handled, by kind and outcome.",
            ["kind", "outcome"],
            registry=registry,
        )

    async def run_once(self) -> int:
        """Send what is due now; how many messages were claimed."""
        handled = 0
        for platform, notifier in self._notifiers.items():
            tenants = await notifier.tenants()
            claimed = await claim_due(
                self._services, platform, tenants, limit=BATCH, policy=self._policy
            )
            for message in claimed:
                await self._handle(notifier, message)
            handled += len(claimed)
        return handled

    async def _handle(self, notifier: Notifier, message: OutboxMessage) -> None:
        if not self._policy.may_send(message, self._services.clock()):
            # Earlier sends of this batch used up the lease: another dispatcher may claim the
            # row any moment, so leave it to whoever claims it next.
            self._outcomes.labels(message.kind, "lease_expired").inc()
            return
        try:
            delivered = await self._send(notifier, message)
        except DeliveryError as error:
            await self._failed(message, error)
            return
        except Exception as error:  # a bug or an outage: logged, retried, parked in the end
            log.exception("sending outbox message %s failed", message.id)
            await self._failed(message, DeliveryError(f"{type(error).__name__}: {error}"))
            return
        if delivered is not None:
            await settle_sent(
                self._services,
                message,
                channel=delivered.channel or None,
                platform_message_id=delivered.message_id or None,
            )
            self._outcomes.labels(message.kind, OutboxStatus.SENT).inc()

    async def _failed(self, message: OutboxMessage, error: DeliveryError) -> None:
        status = await settle_failed(
            self._services,
            message,
            error=error.reason,
            policy=self._policy,
            retry_after=error.retry_after,
            permanent=error.permanent,
        )
        outcome = OutboxStatus.PARKED if status == OutboxStatus.PARKED else "retry"
        self._outcomes.labels(message.kind, outcome).inc()
        log.warning(
            "outbox message %s (%s): %s; %s", message.id, message.kind, error.reason, outcome
        )

    async def _send(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        """Send one message. Returns where it went, or None when it was settled otherwise."""
        kind = MessageKind(message.kind)
        if kind is MessageKind.ESCALATION_REFRESH:
            return await self._refresh(notifier, message)
        if kind is MessageKind.WEEKLY_SUMMARY:
            return await self._summary(notifier, message)
        if kind is MessageKind.CLIENT_EXPORT:
            return await self._export(notifier, message)
        if kind is MessageKind.ABUSE_NOTE:
            reader = await reader_of(self._services, message)
            note = abuse_note_message(reader, message)
            return await notifier.post(message.tenant_id, message.recipient_id, note, reader)
        if kind is MessageKind.WELCOME:
            welcome, reader = await welcome_notification(self._services, message)
            return await notifier.post(message.tenant_id, message.recipient_id, welcome, reader)
        if message.recipient_id == ADMINS_RECIPIENT:
            admins = await notifier.admins(message.tenant_id)
            if not admins:
                raise DeliveryError("the workspace has no admins to ping", permanent=True)
            await expand_to_people(self._services, message, admins)
            self._outcomes.labels(message.kind, "expanded").inc()
            return None
        if kind is MessageKind.UNMATCHED_ACCOUNT:
            return await self._unmatched(notifier, message)
        if kind is MessageKind.SUGGESTION:
            return await self._suggestion(notifier, message)
        reply = await escalation_message(self._services, message)
        if reply is None:
            raise DeliveryError("the escalation no longer exists", permanent=True)
        if reply.data["status"] != EscalationStatus.OPEN:
            # Someone decided (or the strikes lapsed) before this went out: nothing to ask.
            await skip(self._services, message, f"escalation {reply.data['status']} first")
            self._outcomes.labels(message.kind, OutboxStatus.SKIPPED).inc()
            return None
        return await notifier.post(
            message.tenant_id, message.recipient_id, reply, await reader_of(self._services, message)
        )

    async def _suggestion(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        reader = await reader_of(self._services, message)
        reply = await suggestion_message(self._services, message, reader)
        if reply is None:
            # Decided (or the client forgotten) before this went out: nothing to put to them.
            await skip(self._services, message, "the suggestion was decided first")
            self._outcomes.labels(message.kind, OutboxStatus.SKIPPED).inc()
            return None
        return await notifier.post(message.tenant_id, message.recipient_id, reply, reader)

    async def _refresh(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        copies = await escalation_copies(self._services, message)
        for copy in copies.sent:
            reply = await escalation_message(self._services, copy)
            if reply is None:
                continue
            where = Delivered(copy.platform_channel_id or "", copy.platform_message_id or "")
            try:
                await notifier.update(
                    message.tenant_id, where, reply, await reader_of(self._services, copy)
                )
            except DeliveryError as error:
                if not error.permanent:
                    raise
                # That copy is gone (deleted by its reader, say); the others still get theirs.
                log.info("copy %s not updated: %s", copy.id, error.reason)
        if copies.pending_until is not None:
            # A copy is still on its way: drawn fresh when it goes, but one drawn just before
            # this change would keep stale buttons, so look again once it has had its turn.
            later = copies.pending_until + self._policy.lease
            await defer(self._services, message, max(later, self._services.clock()))
            return None
        return NOWHERE

    async def _unmatched(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        notice = await unmatched_notification(self._services, message)
        if notice is None:
            await skip(self._services, message, "the account was matched first")
            self._outcomes.labels(message.kind, OutboxStatus.SKIPPED).inc()
            return None
        return await notifier.post(
            message.tenant_id,
            message.recipient_id,
            notice,
            await reader_of(self._services, message),
        )

    async def _summary(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        if await notifier.is_shared_externally(message.tenant_id, message.recipient_id):
            await refuse_external_channel(self._services, message)
            self._outcomes.labels(message.kind, "refused").inc()
            log.warning("summary not posted: %s is shared externally", message.recipient_id)
            return None
        reply, chart = await summary_notification(self._services, message)
        posted = await self._post_once(notifier, message, reply)
        await notifier.attach(message.tenant_id, message.recipient_id, posted, chart)
        return posted

    async def _export(self, notifier: Notifier, message: OutboxMessage) -> Delivered | None:
        drawn = await export_notification(self._services, message)
        if drawn is None:
            await skip(self._services, message, "the client was forgotten first")
            self._outcomes.labels(message.kind, OutboxStatus.SKIPPED).inc()
            return None
        reply, file = drawn
        destination = destination_of(message.payload)
        if destination is not None:
            # The person allowed the file where the platform asks first: it goes there now.
            return await notifier.put_file(
                message.tenant_id, message.recipient_id, file, destination
            )
        posted = await self._post_once(notifier, message, reply)
        await notifier.send_file(
            message.tenant_id, message.recipient_id, posted, file, offer=str(message.id)
        )
        return posted

    async def _post_once(
        self, notifier: Notifier, message: OutboxMessage, reply: Reply
    ) -> Delivered:
        """Post the message's text, unless an earlier attempt did (then only what follows it,
        a chart or a file, is left to send): where it is."""
        if message.platform_message_id and message.platform_channel_id:
            return Delivered(message.platform_channel_id, message.platform_message_id)
        posted = await notifier.post(
            message.tenant_id,
            message.recipient_id,
            reply,
            await reader_of(self._services, message),
        )
        await record_progress(
            self._services,
            message,
            channel=posted.channel,
            platform_message_id=posted.message_id,
        )
        return posted


def retry_policy(max_attempts: int, base_delay: float, lease: float) -> RetryPolicy:
    """The retry policy from settings (seconds)."""
    return RetryPolicy(
        max_attempts=max_attempts,
        base_delay=timedelta(seconds=base_delay),
        lease=timedelta(seconds=lease),
    )
