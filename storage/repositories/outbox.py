"""The outbox: messages written with the change that calls for them, sent later.

A row is ``pending`` until it is ``sent`` (or ``skipped``, when there was nothing left to say);
a row that kept failing is ``parked`` for a person to look at. A dispatcher claims due rows by
pushing their ``due_at`` past a lease and writing its ``claim_token``, so another dispatcher skips
them while they are in flight, a crashed one's rows come due again, and only the current claim
settles a row.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage, OutboxStatus, Tenant
from storage.repositories.inserts import try_insert

ERROR_LIMIT = 2000


class OutboxRepository:
    """Adds, claims and settles outbox messages."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: OutboxMessage) -> bool:
        """Queue a message; False when one with the same dedupe key is already queued."""
        return await try_insert(self._session, message) is None

    async def with_key_prefix(self, tenant_id: str, prefix: str) -> list[OutboxMessage]:
        """Messages whose dedupe key starts with ``prefix`` (one logical message each)."""
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.tenant_id == tenant_id,
                col(OutboxMessage.dedupe_key).startswith(prefix, autoescape=True),
            )
            .order_by(col(OutboxMessage.id))
        )
        return list((await self._session.exec(statement)).all())

    async def get(self, message_id: int) -> OutboxMessage | None:
        """The message with this id, or None: across tenants, for the dispatcher, which claimed
        it by id."""
        return await self._session.get(OutboxMessage, message_id)

    async def in_tenant(self, tenant_id: str, message_id: int) -> OutboxMessage | None:
        """The tenant's message with this id, or None (a person's answer to one names it)."""
        statement = select(OutboxMessage).where(
            OutboxMessage.tenant_id == tenant_id, OutboxMessage.id == message_id
        )
        return (await self._session.exec(statement)).first()

    async def claim_due(
        self,
        *,
        now: datetime,
        lease: timedelta,
        limit: int,
        platform: str,
        tenant_ids: frozenset[str] | None = None,
    ) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages of tenants on ``platform`` (of ``tenant_ids`` only,
        when given) for one lease.

        On PostgreSQL rows another dispatcher holds are skipped (``SKIP LOCKED``); SQLite has one
        writer at a time, so the lease alone keeps two dispatchers apart there.
        """
        statement = (
            select(OutboxMessage)
            .join(Tenant, col(Tenant.id) == col(OutboxMessage.tenant_id))
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                col(OutboxMessage.due_at) <= now,
                Tenant.platform == platform,
            )
            .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=OutboxMessage)
        )
        if tenant_ids is not None:
            statement = statement.where(col(OutboxMessage.tenant_id).in_(tenant_ids))
        rows = list((await self._session.exec(statement)).all())
        for row in rows:
            row.due_at = now + lease
            row.attempts += 1
            row.claim_token = str(uuid.uuid4())
            self._session.add(row)
        return rows

    async def lock_claimed(self, claimed: OutboxMessage) -> OutboxMessage | None:
        """The pending message, locked, if ``claimed``'s claim is still the current one; None
        when another dispatcher claimed it since (its lease ran out) or it was settled."""
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.id == claimed.id,
                OutboxMessage.claim_token == claimed.claim_token,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.exec(statement)).first()

    def mark_sent(
        self, message: OutboxMessage, *, at: datetime, channel: str | None, message_id: str | None
    ) -> None:
        """Record the delivery and where the platform put the message."""
        message.status = OutboxStatus.SENT
        message.sent_at = at
        message.platform_channel_id = channel
        message.platform_message_id = message_id
        message.last_error = None
        self._session.add(message)

    def mark_skipped(self, message: OutboxMessage, *, reason: str) -> None:
        """Settle a message that no longer needs sending (its escalation closed first)."""
        message.status = OutboxStatus.SKIPPED
        message.last_error = reason[:ERROR_LIMIT]
        self._session.add(message)

    def mark_progress(self, message: OutboxMessage, *, channel: str, message_id: str) -> None:
        """Record a first part delivered (a summary's text before its chart), so that a retry
        does not post it twice."""
        message.platform_channel_id = channel
        message.platform_message_id = message_id
        self._session.add(message)

    def retry_later(self, message: OutboxMessage, *, due_at: datetime, error: str) -> None:
        """Put the message back in the queue after a failure."""
        message.due_at = due_at
        message.last_error = error[:ERROR_LIMIT]
        self._session.add(message)

    def park(self, message: OutboxMessage, *, error: str) -> None:
        """Stop trying: the message needs a person (a bad channel, a revoked token)."""
        message.status = OutboxStatus.PARKED
        message.last_error = error[:ERROR_LIMIT]
        self._session.add(message)

    async def counts_by_status(self, tenant_id: str | None = None) -> dict[str, int]:
        """How many messages are in each status, for one tenant or all."""
        statement = select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
        if tenant_id is not None:
            statement = statement.where(OutboxMessage.tenant_id == tenant_id)
        rows = (await self._session.exec(statement)).all()
        return {status: int(count) for status, count in rows}

    async def parked(self, tenant_id: str, *, limit: int) -> list[OutboxMessage]:
        """The tenant's parked messages, newest first."""
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.tenant_id == tenant_id, OutboxMessage.status == OutboxStatus.PARKED
            )
            .order_by(col(OutboxMessage.id).desc())
            .limit(limit)
        )
        return list((await self._session.exec(statement)).all())
