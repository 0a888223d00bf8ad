"""What people chose for themselves (their language)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import PersonPreference


class PeopleRepository:
    """Reads and writes one person's preferences."""

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
