"""Claims on scheduled runs: inserting the unique (tenant, job, period) row is the claim."""

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ScheduledRun
from storage.repositories.inserts import try_insert


class ScheduledRunRepository:
    """Claims runs; only the first claim of a (tenant, job, period) succeeds, on any replica."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, run: ScheduledRun) -> bool:
        """Insert the claim; False when another process claimed this run first."""
        return await try_insert(self._session, run) is None
