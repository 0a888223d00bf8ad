"""Disputes: an account owner's objection to a strike, and how a manager answered it."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Dispute, DisputeStatus
from storage.repositories.inserts import try_insert


class DisputeRepository:
    """Files, finds and resolves disputes of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, dispute: Dispute) -> bool:
        """File a dispute; False when the report was disputed before."""
        return await try_insert(self._session, dispute) is None

    async def lock(self, tenant_id: str, dispute_id: int) -> Dispute | None:
        """The dispute, locked so that two managers cannot both answer it."""
        statement = (
            select(Dispute)
            .where(Dispute.tenant_id == tenant_id, Dispute.id == dispute_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.exec(statement)).first()

    async def open_for_client(self, tenant_id: str, client_id: int) -> list[Dispute]:
        """The client's disputes still waiting for a manager, oldest first."""
        statement = (
            select(Dispute)
            .where(
                Dispute.tenant_id == tenant_id,
                Dispute.client_id == client_id,
                Dispute.status == DisputeStatus.OPEN,
            )
            .order_by(col(Dispute.disputed_at), col(Dispute.id))
        )
        return list((await self._session.exec(statement)).all())

    async def open_in_tenant(self, tenant_id: str) -> list[Dispute]:
        """Every dispute of the tenant still waiting for a manager, oldest first."""
        statement = (
            select(Dispute)
            .where(Dispute.tenant_id == tenant_id, Dispute.status == DisputeStatus.OPEN)
            .order_by(col(Dispute.disputed_at), col(Dispute.id))
        )
        return list((await self._session.exec(statement)).all())

    async def save(self, dispute: Dispute) -> None:
        """Write the dispute's answer (with the transaction's other changes)."""
        self._session.add(dispute)
