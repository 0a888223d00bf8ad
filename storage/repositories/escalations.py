"""Escalations: one open per client at most; decisions record how each ended."""

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Decision, Escalation, EscalationStatus


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

    async def lock(self, tenant_id: str, escalation_id: int) -> Escalation | None:
        """The escalation, locked until the transaction ends."""
        statement = (
            select(Escalation)
            .where(Escalation.tenant_id == tenant_id, Escalation.id == escalation_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.exec(statement)).first()

    async def save(self, escalation: Escalation) -> None:
        """Write the escalation's changed fields (with the transaction's other changes)."""
        self._session.add(escalation)

    async def tenants_with_open(self) -> list[str]:
        """The tenants with at least one open escalation, across tenants (the reminders' work
        list)."""
        statement = (
            select(Escalation.tenant_id)
            .where(Escalation.status == EscalationStatus.OPEN)
            .distinct()
        )
        return list((await self._session.exec(statement)).all())

    async def due_for_reminder(
        self, tenant_id: str, before: datetime, *, limit: int
    ) -> list[Escalation]:
        """The tenant's open escalations last pinged or reminded at ``before`` or earlier,
        longest waiting first."""
        last = func.coalesce(col(Escalation.last_reminded_at), col(Escalation.opened_at))
        statement = (
            select(Escalation)
            .where(
                Escalation.tenant_id == tenant_id,
                Escalation.status == EscalationStatus.OPEN,
                last <= before,
            )
            .order_by(last, col(Escalation.id))
            .limit(limit)
        )
        return list((await self._session.exec(statement)).all())

    async def open_for(self, tenant_id: str, client_id: int) -> Escalation | None:
        """The client's open escalation, or None."""
        statement = select(Escalation).where(
            Escalation.tenant_id == tenant_id,
            Escalation.client_id == client_id,
            Escalation.status == EscalationStatus.OPEN,
        )
        return (await self._session.exec(statement)).first()

    async def open_in_tenant(self, tenant_id: str) -> list[Escalation]:
        """Every open escalation of the tenant, oldest first: the decisions waiting."""
        statement = (
            select(Escalation)
            .where(Escalation.tenant_id == tenant_id, Escalation.status == EscalationStatus.OPEN)
            .order_by(col(Escalation.opened_at), col(Escalation.id))
        )
        return list((await self._session.exec(statement)).all())

    async def add(self, escalation: Escalation) -> Escalation:
        """Open an escalation (the partial unique index rejects a second open one)."""
        self._session.add(escalation)
        await self._session.flush()
        return escalation

    async def close(
        self, escalation: Escalation, *, status: EscalationStatus, at: datetime
    ) -> None:
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
