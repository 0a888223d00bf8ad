"""Escalations: one open per client at most; decisions record how each ended."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Decision, Escalation


class EscalationRepository:
    """Opens, closes and lists escalations and the decisions on them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: str, escalation_id: int) -> Escalation | None:
        """The escalation with this id in this tenant, or None."""
        statement = select(Escalation).where(
            Escalation.tenant_id == tenant_id, Escalation.id == escalation_id
        )
        return (await self._session.exec(statement)).first()

    async def open_for(self, tenant_id: str, client_id: int) -> Escalation | None:
        """The client's open escalation, or None."""
        statement = select(Escalation).where(
            Escalation.tenant_id == tenant_id,
            Escalation.client_id == client_id,
            Escalation.status == "open",
        )
        return (await self._session.exec(statement)).first()

    async def open_in_tenant(self, tenant_id: str) -> list[Escalation]:
        """Every open escalation of the tenant, oldest first: the decisions waiting."""
        statement = (
            select(Escalation)
            .where(Escalation.tenant_id == tenant_id, Escalation.status == "open")
            .order_by(col(Escalation.opened_at), col(Escalation.id))
        )
        return list((await self._session.exec(statement)).all())

    async def add(self, escalation: Escalation) -> Escalation:
        """Open an escalation (the partial unique index rejects a second open one)."""
        self._session.add(escalation)
        await self._session.flush()
        return escalation

    async def close(self, escalation: Escalation, *, status: str, at: datetime) -> None:
        """Close an escalation as decided or withdrawn."""
        escalation.status = status
        escalation.closed_at = at
        self._session.add(escalation)

    async def for_client(self, tenant_id: str, client_id: int) -> list[Escalation]:
        """All of the client's escalations, oldest first."""
        statement = (
            select(Escalation)
            .where(Escalation.tenant_id == tenant_id, Escalation.client_id == client_id)
            .order_by(col(Escalation.opened_at), col(Escalation.id))
        )
        return list((await self._session.exec(statement)).all())

    async def add_decision(self, decision: Decision) -> Decision:
        """Record a manager's decision."""
        self._session.add(decision)
        await self._session.flush()
        return decision

    async def decisions_for(self, tenant_id: str, client_id: int) -> list[Decision]:
        """All of the client's decisions, oldest first."""
        statement = (
            select(Decision)
            .where(Decision.tenant_id == tenant_id, Decision.client_id == client_id)
            .order_by(col(Decision.decided_at), col(Decision.id))
        )
        return list((await self._session.exec(statement)).all())
