"""Finished assessments and playbook progress."""

from collections.abc import Collection

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Assessment, PlaybookProgress
from storage.repositories.inserts import try_insert


class AssessmentRepository:
    """Stores assessments and the playbook steps ticked off."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, assessment: Assessment) -> Assessment:
        """Store a finished assessment."""
        self._session.add(assessment)
        await self._session.flush()
        return assessment

    async def latest(
        self, tenant_id: str, client_id: int, *, limit: int | None = 1
    ) -> list[Assessment]:
        """The client's most recent assessments, newest first (all of them with no limit)."""
        statement = (
            select(Assessment)
            .where(Assessment.tenant_id == tenant_id, Assessment.client_id == client_id)
            .order_by(col(Assessment.finished_at).desc(), col(Assessment.id).desc())
            .limit(limit)
        )
        return list((await self._session.exec(statement)).all())

    async def latest_recommendations(
        self, tenant_id: str, client_ids: Collection[int] | None = None
    ) -> dict[int, str]:
        """Each assessed client's latest recommendation, by client id; only of ``client_ids``
        when given (a page of the board)."""
        newest_query = select(
            Assessment.client_id, func.max(Assessment.finished_at).label("finished_at")
        ).where(Assessment.tenant_id == tenant_id)
        if client_ids is not None:
            newest_query = newest_query.where(col(Assessment.client_id).in_(client_ids))
        newest = newest_query.group_by(col(Assessment.client_id)).subquery()
        statement = (
            select(Assessment.client_id, Assessment.recommendation)
            .join(
                newest,
                (col(Assessment.client_id) == newest.c.client_id)
                & (col(Assessment.finished_at) == newest.c.finished_at),
            )
            .where(Assessment.tenant_id == tenant_id)
        )
        return {
            client_id: recommendation
            for client_id, recommendation in (await self._session.exec(statement)).all()
        }

    async def ticked(self, tenant_id: str, client_id: int, recommendation: str) -> set[str]:
        """The playbook steps already done for this client and recommendation."""
        statement = select(PlaybookProgress.step).where(
            PlaybookProgress.tenant_id == tenant_id,
            PlaybookProgress.client_id == client_id,
            PlaybookProgress.recommendation == recommendation,
        )
        return set((await self._session.exec(statement)).all())

    async def tick(self, progress: PlaybookProgress) -> None:
        """Mark a step done (done already is fine)."""
        await try_insert(self._session, progress)

    async def untick(self, tenant_id: str, client_id: int, recommendation: str, step: str) -> None:
        """Mark a step not done."""
        await self._session.exec(
            delete(PlaybookProgress).where(
                col(PlaybookProgress.tenant_id) == tenant_id,
                col(PlaybookProgress.client_id) == client_id,
                col(PlaybookProgress.recommendation) == recommendation,
                col(PlaybookProgress.step) == step,
            )
        )
