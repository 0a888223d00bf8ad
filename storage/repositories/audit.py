"""The audit trail: what people did, and what they were refused."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


class AuditRepository:
    """Appends and lists audit events."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, event: AuditEvent) -> None:
        """Append one event (written with the transaction's other changes)."""
        self._session.add(event)

    async def record_many(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Append many events, given as their columns, in one statement (written now, in the
        transaction)."""
        if events:
            connection = await self._session.connection()
            await connection.execute(insert(AuditEvent.__table__), events)  # type: ignore[attr-defined]

    async def for_subject(
        self, tenant_id: str, subject_type: str, subject_id: str
    ) -> list[AuditEvent]:
        """Events about one subject, oldest first."""
        statement = (
            select(AuditEvent)
            .where(
                AuditEvent.tenant_id == tenant_id,
                AuditEvent.subject_type == subject_type,
                AuditEvent.subject_id == subject_id,
            )
            .order_by(col(AuditEvent.at), col(AuditEvent.id))
        )
        return list((await self._session.exec(statement)).all())
