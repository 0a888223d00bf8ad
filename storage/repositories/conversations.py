"""Conversation references: how to reach a person or a channel later, proactively."""

from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Conversation
from storage.repositories.inserts import try_insert


class ConversationRepository:
    """Keeps the latest reference per address of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: str, address: str) -> Conversation | None:
        """The stored reference for ``address``, or None."""
        statement = select(Conversation).where(
            Conversation.tenant_id == tenant_id, Conversation.address == address
        )
        return (await self._session.exec(statement)).first()

    async def remember(
        self, tenant_id: str, address: str, reference: dict[str, Any], at: datetime
    ) -> None:
        """Store ``reference`` for ``address``, replacing an older one (a concurrent first
        write of the same address is the same reference)."""
        stored = await self.get(tenant_id, address)
        if stored is not None:
            if stored.reference != reference:
                stored.reference = reference
                stored.updated_at = at
                self._session.add(stored)
            return
        await try_insert(
            self._session,
            Conversation(tenant_id=tenant_id, address=address, reference=reference, updated_at=at),
        )
