"""Webhook connections, and what a webhook may undo: the signals of a voided invoice (kept,
or held for an account no client has the id of)."""

from collections.abc import Collection

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import Signal
from storage.integration_models import Connection, HeldSignal


class IntegrationRepository:
    """Adds, finds, lists and revokes one tenant's webhook connections; finds and removes the
    signals of one invoice (kept, or held for an unmatched account)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, connection: Connection) -> None:
        """Store a new connection (its id is random: a clash is not worth handling)."""
        self._session.add(connection)

    async def get(self, connection_id: str) -> Connection | None:
        """The connection of that id, of any tenant, revoked or not."""
        return await self._session.get(Connection, connection_id)

    async def all(self, tenant_id: str) -> list[Connection]:
        """The tenant's connections, active first, then newest first."""
        statement = (
            select(Connection)
            .where(col(Connection.tenant_id) == tenant_id)
            .order_by(col(Connection.revoked_at).is_not(None), col(Connection.created_at).desc())
        )
        return list((await self._session.exec(statement)).all())

    async def every(self) -> list[Connection]:
        """Every tenant's connections, revoked or not (to encrypt them again under a new key)."""
        return list((await self._session.exec(select(Connection))).all())

    async def save(self, connection: Connection) -> None:
        """Write a connection's changes (revocation, last event) with the transaction."""
        self._session.add(connection)

    async def invoice_has(self, tenant_id: str, source: str, invoice_id: str, kind: str) -> bool:
        """Whether a signal of ``kind`` about the invoice is kept or held."""
        for table in (Signal, HeldSignal):
            statement = select(col(table.id)).where(
                col(table.tenant_id) == tenant_id,
                col(table.source) == source,
                col(table.invoice_id) == invoice_id,
                col(table.kind) == kind,
            )
            if (await self._session.exec(statement.limit(1))).first() is not None:
                return True
        return False

    async def delete_invoice_signals(
        self, tenant_id: str, source: str, invoice_id: str, kinds: Collection[str]
    ) -> int:
        """Remove the invoice's signals of ``kinds``, kept or held; how many there were."""
        removed = 0
        connection = await self._session.connection()
        for table in (Signal, HeldSignal):
            statement = delete(table).where(
                col(table.tenant_id) == tenant_id,
                col(table.source) == source,
                col(table.invoice_id) == invoice_id,
                col(table.kind).in_(list(kinds)),
            )
            removed += (await connection.execute(statement)).rowcount
        return removed
