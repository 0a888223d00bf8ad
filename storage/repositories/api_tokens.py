"""The signals API's bearer tokens: only their SHA-256 is stored."""

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import ApiToken
from storage.repositories.inserts import try_insert


class ApiTokenRepository:
    """Adds, finds, lists and revokes one tenant's API tokens."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: ApiToken) -> bool:
        """Store a new token; False when the tenant has an active token of that name."""
        return await try_insert(self._session, token) is None

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token, of any tenant, whose SHA-256 is ``token_hash`` (revoked or not)."""
        statement = select(ApiToken).where(col(ApiToken.token_hash) == token_hash)
        return (await self._session.exec(statement)).first()

    async def active(self, tenant_id: str, name: str) -> ApiToken | None:
        """The tenant's active token of that name."""
        statement = select(ApiToken).where(
            col(ApiToken.tenant_id) == tenant_id,
            col(ApiToken.name) == name,
            col(ApiToken.revoked_at).is_(None),
        )
        return (await self._session.exec(statement)).first()

    async def all(self, tenant_id: str) -> list[ApiToken]:
        """The tenant's tokens, active ones first, each group by name then newest first."""
        statement = (
            select(ApiToken)
            .where(col(ApiToken.tenant_id) == tenant_id)
            .order_by(
                col(ApiToken.revoked_at).is_not(None),
                col(ApiToken.name),
                col(ApiToken.created_at).desc(),
            )
        )
        return list((await self._session.exec(statement)).all())

    async def count_active(self, tenant_id: str) -> int:
        """How many of the tenant's tokens are not revoked."""
        statement = select(func.count()).where(
            col(ApiToken.tenant_id) == tenant_id, col(ApiToken.revoked_at).is_(None)
        )
        return int((await self._session.exec(statement)).one())

    async def revoke_all(self, tenant_id: str, *, at: datetime, by: str) -> int:
        """Revoke every active token of the tenant; how many there were."""
        statement = (
            update(ApiToken)
            .where(col(ApiToken.tenant_id) == tenant_id, col(ApiToken.revoked_at).is_(None))
            .values(revoked_at=at, revoked_by=by)
        )
        connection = await self._session.connection()
        return (await connection.execute(statement)).rowcount

    async def save(self, token: ApiToken) -> None:
        """Write the token's changes (revocation, last use) with the transaction."""
        self._session.add(token)
