"""What people chose for themselves (their language), and whether they were welcomed."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import PersonPreference, Welcome
from storage.repositories.inserts import try_insert


class PeopleRepository:
    """Reads and writes one person's preferences, and their welcome."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def language(self, tenant_id: str, user_id: str) -> str | None:
        """The language the person chose, or None when they follow their platform's."""
        chosen = await self._session.get(PersonPreference, (tenant_id, user_id))
        return chosen.language if chosen else None

    async def set_language(
        self, tenant_id: str, user_id: str, language: str | None, now: datetime
    ) -> None:
        """Keep ``language`` for the person; None forgets the choice."""
        chosen = await self._session.get(PersonPreference, (tenant_id, user_id))
        if language is None:
            if chosen is not None:
                await self._session.delete(chosen)
            return
        if chosen is None:
            chosen = PersonPreference(
                tenant_id=tenant_id, user_id=user_id, language=language, updated_at=now
            )
        chosen.language = language
        chosen.updated_at = now
        self._session.add(chosen)

    async def welcome(self, tenant_id: str, user_id: str, now: datetime) -> bool:
        """Record that the person is welcomed now; False when they were before (by this
        request or another, on any replica)."""
        if await self._session.get(Welcome, (tenant_id, user_id)) is not None:
            return False
        row = Welcome(tenant_id=tenant_id, user_id=user_id, welcomed_at=now)
        return await try_insert(self._session, row) is None
