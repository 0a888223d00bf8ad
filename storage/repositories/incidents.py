"""Incidents: append-only reports; voiding writes the void fields once."""

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Evidence, Incident
from storage.repositories.inserts import insert_returning_id, try_insert


class IncidentRepository:
    """Reads and appends incidents of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: str, incident_id: int) -> Incident | None:
        """The incident with this id in this tenant, or None."""
        statement = select(Incident).where(
            Incident.tenant_id == tenant_id, Incident.id == incident_id
        )
        return (await self._session.exec(statement)).first()

    async def by_idempotency_key(self, tenant_id: str, key: str) -> Incident | None:
        """The incident filed earlier with this idempotency key, or None."""
        statement = select(Incident).where(
            Incident.tenant_id == tenant_id, Incident.idempotency_key == key
        )
        return (await self._session.exec(statement)).first()

    async def add(self, incident: Incident) -> Incident | None:
        """Append an incident (its ``id`` set); None when its idempotency key was already
        used."""
        keyed = ("tenant_id", "idempotency_key") if incident.idempotency_key is not None else ()
        incident.id = await insert_returning_id(self._session, incident, unless_taken=keyed)
        return None if incident.id is None else incident

    async def for_client(
        self, tenant_id: str, client_id: int, *, limit: int | None = None, offset: int = 0
    ) -> list[Incident]:
        """The client's incidents, newest first, voided ones included."""
        statement = (
            select(Incident)
            .where(Incident.tenant_id == tenant_id, Incident.client_id == client_id)
            .order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc())
            .offset(offset)
        )
        if limit is not None:
            statement = statement.limit(limit)
        return list((await self._session.exec(statement)).all())

    async def void(
        self, tenant_id: str, incident_id: int, *, by: str, at: datetime, reason: str
    ) -> bool:
        """Void the incident unless it already is; True when this call voided it."""
        statement = (
            update(Incident)
            .where(
                col(Incident.tenant_id) == tenant_id,
                col(Incident.id) == incident_id,
                col(Incident.voided_at).is_(None),
            )
            .values(voided_at=at, voided_by=by, void_reason=reason)
        )
        result = await self._session.exec(statement)
        return bool(result.rowcount)

    async def add_evidence(self, evidence: Evidence) -> Evidence:
        """Attach evidence to a report; with a key used before, the evidence stored then."""
        refused = await try_insert(self._session, evidence)
        if refused is not None:
            if evidence.idempotency_key is None:
                raise refused
            statement = select(Evidence).where(
                Evidence.tenant_id == evidence.tenant_id,
                Evidence.idempotency_key == evidence.idempotency_key,
            )
            return (await self._session.exec(statement)).one()
        return evidence

    async def evidence_for(self, tenant_id: str, incident_ids: list[int]) -> list[Evidence]:
        """Evidence attached to these reports, oldest first."""
        statement = (
            select(Evidence)
            .where(Evidence.tenant_id == tenant_id, col(Evidence.incident_id).in_(incident_ids))
            .order_by(col(Evidence.added_at), col(Evidence.id))
        )
        return list((await self._session.exec(statement)).all())

    async def recent_by_reporter(
        self, tenant_id: str, reporter_id: str, *, limit: int
    ) -> list[Incident]:
        """The person's latest reports, newest first."""
        statement = (
            select(Incident)
            .where(Incident.tenant_id == tenant_id, Incident.reporter_id == reporter_id)
            .order_by(col(Incident.recorded_at).desc(), col(Incident.id).desc())
            .limit(limit)
        )
        return list((await self._session.exec(statement)).all())

    async def active_counts_by_category(
        self,
        tenant_id: str,
        client_id: int,
        *,
        since: datetime,
        recorded_after: datetime | None = None,
    ) -> dict[str, int]:
        """How many unvoided reports of each category the client has had since ``since``
        (and, if given, recorded after ``recorded_after``)."""
        statement = (
            select(Incident.category, func.count(col(Incident.id)))
            .where(
                Incident.tenant_id == tenant_id,
                Incident.client_id == client_id,
                col(Incident.voided_at).is_(None),
                Incident.occurred_at > since,
            )
            .group_by(col(Incident.category))
        )
        if recorded_after is not None:
            statement = statement.where(col(Incident.recorded_at) > recorded_after)
        return {
            category: int(count) for category, count in (await self._session.exec(statement)).all()
        }
