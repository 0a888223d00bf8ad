"""Signals from other systems: recorded once per tenant, source and the source's id."""

from collections.abc import Collection, Sequence
from typing import Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import Signal
from storage.models import Client
from storage.repositories.inserts import insert_many_returning

# The unique constraint a replayed signal meets.
_ONCE = ("tenant_id", "source", "external_id")

ExternalId = Literal["billing_id", "helpdesk_id"]


class SignalRepository:
    """Inserts one tenant's signals, reads a client's, and finds clients by their external ids.
    (Forgetting a client deletes its signals: ``ForgettingRepository``.)"""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def insert_new(self, signals: Sequence[Signal]) -> set[str]:
        """Record the signals (of one tenant and source) in one batch; the source ids of those
        that went in. One whose id the tenant already has from the source is left out (the
        first one stands), and so is one whose id an earlier signal of ``signals`` has."""
        found = await insert_many_returning(
            self._session, signals, unless_taken=_ONCE, returning="external_id"
        )
        return {str(external_id) for external_id in found}

    async def for_client(self, tenant_id: str, client_id: int) -> list[Signal]:
        """The client's signals, oldest first (``ix_signal_client_occurred``)."""
        statement = (
            select(Signal)
            .where(col(Signal.tenant_id) == tenant_id, col(Signal.client_id) == client_id)
            .order_by(col(Signal.occurred_at), col(Signal.id))
        )
        return list((await self._session.exec(statement)).all())

    async def client_ids(
        self, tenant_id: str, field: ExternalId, values: Collection[str]
    ) -> dict[str, int]:
        """The ids of the tenant's clients whose billing (or help-desk) id is one of
        ``values``, by that id; one query for a whole batch."""
        if not values:
            return {}
        column = col(Client.billing_id) if field == "billing_id" else col(Client.helpdesk_id)
        statement = select(column, col(Client.id)).where(
            col(Client.tenant_id) == tenant_id, column.in_(list(values))
        )
        rows = (await self._session.exec(statement)).all()
        return {str(external): int(client_id) for external, client_id in rows if client_id}
