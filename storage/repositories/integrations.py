"""Webhook connections; the accounts no client has the id of, and the signals held for them;
and what a webhook may undo: the signals of a voided invoice."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import Signal
from storage.integration_models import Connection, HeldSignal, UnmatchedAccount
from storage.repositories.inserts import insert_many_returning, try_insert


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

    async def save(self, row: Connection | UnmatchedAccount) -> None:
        """Write a connection's (revocation, last event) or an account's changes with the
        transaction."""
        self._session.add(row)

    async def account(
        self, tenant_id: str, source: str, external_id: str, *, now: datetime
    ) -> UnmatchedAccount:
        """The unmatched account of that source and id, made (first seen ``now``) if new; a
        concurrent first sight of it is the same row (the unique constraint decides)."""
        statement = select(UnmatchedAccount).where(
            col(UnmatchedAccount.tenant_id) == tenant_id,
            col(UnmatchedAccount.source) == source,
            col(UnmatchedAccount.external_id) == external_id,
        )
        found = (await self._session.exec(statement)).first()
        if found is not None:
            return found
        row = UnmatchedAccount(
            tenant_id=tenant_id,
            source=source,
            external_id=external_id,
            first_seen_at=now,
            last_seen_at=now,
        )
        if await try_insert(self._session, row) is None:
            return row
        return (await self._session.exec(statement)).one()

    async def hold(self, signals: Sequence[HeldSignal]) -> set[str]:
        """Keep the held signals, each once per tenant, source and id; the ids that went in."""
        found = await insert_many_returning(
            self._session,
            signals,
            unless_taken=("tenant_id", "source", "external_id"),
            returning="external_id",
        )
        return {str(external_id) for external_id in found}

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
