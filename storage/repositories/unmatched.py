"""Accounts another system told us about that no client has the id of yet, and the signals
they sent meanwhile (held until a manager matches the account to a client)."""

from collections.abc import Sequence

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.integration_models import HeldSignal, UnmatchedAccount
from storage.repositories.inserts import insert_many_returning

# The unique constraint a replayed account or held signal meets.
_ONCE = ("tenant_id", "source", "external_id")


class UnmatchedRepository:
    """Reads and writes one tenant's unmatched accounts and their held signals."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_or_add(self, account: UnmatchedAccount) -> UnmatchedAccount:
        """The tenant's account with ``account``'s source and id, locked until the transaction
        ends; added (as given) when the tenant has none, so two requests about a new account
        at once add it once."""
        await insert_many_returning(self._session, [account], unless_taken=_ONCE, returning="id")
        found = await self.lock(account.tenant_id, account.source, account.external_id)
        assert found is not None, "the account was just added, or was there"
        return found

    async def lock(self, tenant_id: str, source: str, external_id: str) -> UnmatchedAccount | None:
        """The tenant's account with this source and id, locked until the transaction ends."""
        statement = (
            select(UnmatchedAccount)
            .where(
                col(UnmatchedAccount.tenant_id) == tenant_id,
                col(UnmatchedAccount.source) == source,
                col(UnmatchedAccount.external_id) == external_id,
            )
            .with_for_update()
            # Read afresh: an identity-map copy would hide what another request committed.
            .execution_options(populate_existing=True)
        )
        return (await self._session.exec(statement)).first()

    async def get(self, tenant_id: str, account_id: int) -> UnmatchedAccount | None:
        """The tenant's account with this row id, or None."""
        statement = select(UnmatchedAccount).where(
            col(UnmatchedAccount.tenant_id) == tenant_id, col(UnmatchedAccount.id) == account_id
        )
        return (await self._session.exec(statement)).first()

    async def waiting(self, tenant_id: str) -> list[UnmatchedAccount]:
        """The tenant's accounts no client has been matched to, the most recently heard of
        first."""
        statement = (
            select(UnmatchedAccount)
            .where(
                col(UnmatchedAccount.tenant_id) == tenant_id,
                col(UnmatchedAccount.matched_client_id).is_(None),
            )
            .order_by(col(UnmatchedAccount.last_seen_at).desc(), col(UnmatchedAccount.id).desc())
        )
        return list((await self._session.exec(statement)).all())

    async def hold(self, signals: Sequence[HeldSignal]) -> int:
        """Keep the signals (of one tenant and source) in one batch; how many went in. One
        whose id is held already, or that an earlier one of ``signals`` has, is left out."""
        return len(
            await insert_many_returning(
                self._session, signals, unless_taken=_ONCE, returning="external_id"
            )
        )

    async def held(self, tenant_id: str, account_id: int) -> list[HeldSignal]:
        """The signals held for the account, by their source's id."""
        statement = (
            select(HeldSignal)
            .where(col(HeldSignal.tenant_id) == tenant_id, col(HeldSignal.account_id) == account_id)
            .order_by(col(HeldSignal.external_id))
        )
        return list((await self._session.exec(statement)).all())

    async def release(self, tenant_id: str, account_id: int) -> None:
        """Delete the signals held for the account (they became a client's signals)."""
        await self._session.exec(
            delete(HeldSignal).where(
                col(HeldSignal.tenant_id) == tenant_id, col(HeldSignal.account_id) == account_id
            )
        )

    async def save(self, account: UnmatchedAccount) -> None:
        """Write the account's changes."""
        self._session.add(account)
        await self._session.flush()
