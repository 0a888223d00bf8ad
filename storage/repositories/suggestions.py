"""Suggested reports: kept once per client, category and key (the invoice, or the month), and
the tenants the daily run looks at (docs/suggestions.md)."""

from collections.abc import Sequence

from sqlalchemy import exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import Signal
from storage.integration_models import Suggestion
from storage.models import Client, Tenant
from storage.repositories.inserts import try_insert

OPEN = "open"


class SuggestionRepository:
    """Suggestions of one tenant at a time; the first of a (client, category, key) stands."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, suggestion: Suggestion) -> bool:
        """Insert the suggestion; False when the client already had one for that category and
        key (made earlier, by another request or replica, whatever became of it)."""
        return await try_insert(self._session, suggestion) is None

    async def get(self, tenant_id: str, suggestion_id: int) -> Suggestion | None:
        """The tenant's suggestion with that id."""
        statement = select(Suggestion).where(
            col(Suggestion.tenant_id) == tenant_id, col(Suggestion.id) == suggestion_id
        )
        return (await self._session.exec(statement)).first()

    async def lock(self, tenant_id: str, suggestion_id: int) -> Suggestion | None:
        """``get``, locking the row until the transaction ends (on PostgreSQL), so that two
        decisions on one suggestion are taken one after the other."""
        statement = (
            select(Suggestion)
            .where(col(Suggestion.tenant_id) == tenant_id, col(Suggestion.id) == suggestion_id)
            .with_for_update()
        )
        return (await self._session.exec(statement)).first()

    async def open_for(self, tenant_id: str, client_id: int) -> list[Suggestion]:
        """The client's open suggestions, oldest first (``ix_suggestion_client``)."""
        statement = (
            select(Suggestion)
            .where(
                col(Suggestion.tenant_id) == tenant_id,
                col(Suggestion.client_id) == client_id,
                col(Suggestion.status) == OPEN,
            )
            .order_by(col(Suggestion.created_at), col(Suggestion.id))
        )
        return list((await self._session.exec(statement)).all())

    async def open_of(
        self, tenant_id: str, category: str, client_ids: Sequence[int] | None
    ) -> list[Suggestion]:
        """The open suggestions of a category: of ``client_ids``, or of every client."""
        statement = select(Suggestion).where(
            col(Suggestion.tenant_id) == tenant_id,
            col(Suggestion.category) == category,
            col(Suggestion.status) == OPEN,
        )
        if client_ids is not None:
            statement = statement.where(col(Suggestion.client_id).in_(client_ids))
        return list((await self._session.exec(statement.order_by(col(Suggestion.id)))).all())

    async def clients(self, tenant_id: str, client_ids: Sequence[int]) -> list[Client]:
        """The tenant's clients of ``client_ids`` (a few: those a rule found something about)."""
        statement = select(Client).where(
            col(Client.tenant_id) == tenant_id, col(Client.id).in_(client_ids)
        )
        return list((await self._session.exec(statement)).all())

    async def tenants_with_signals(self) -> list[str]:
        """Every tenant that has received a signal: the ones a daily run has anything to
        suggest for."""
        # One EXISTS per tenant on ``ix_signal_tenant_occurred``, not a scan of every signal.
        has_signals = exists().where(col(Signal.tenant_id) == col(Tenant.id))
        statement = select(Tenant.id).where(has_signals).order_by(col(Tenant.id))
        return list((await self._session.exec(statement)).all())
