"""The outbox: messages written with the change that calls for them, sent later."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage


class OutboxRepository:
    """Adds and lists outbox messages."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, message: OutboxMessage) -> bool:
        """Queue a message; False when one with the same dedupe key is already queued."""
        try:
            async with self._session.begin_nested():
                self._session.add(message)
        except IntegrityError:
            return False
        return True

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
