"""Tenants and their policy settings."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Tenant
from storage.repositories.inserts import try_insert
from storage.tenant_cache import TenantCache


class TenantRepository:
    """Reads and creates tenants."""

    def __init__(self, session: AsyncSession, cache: TenantCache) -> None:
        self._session = session
        self._cache = cache
        # Tenants this transaction may change: the cache forgets them once it commits.
        self.touched: set[str] = set()

    async def get(self, tenant_id: str) -> Tenant | None:
        """The tenant, or None."""
        return await self._session.get(Tenant, tenant_id)

    async def current(self, tenant_id: str, *, now: datetime) -> Tenant | None:
        """The tenant to read settings from, as this process cached it (at most
        ``storage.tenant_cache.CACHE_SECONDS`` old), else as stored; None when there is none.
        To change settings, ``lock`` the stored row instead."""
        cached = self._cache.get(tenant_id, now=now)
        if cached is not None:
            return cached
        version = self._cache.version(tenant_id)
        tenant = await self.get(tenant_id)
        if tenant is not None and tenant_id not in self.touched:
            self._cache.put(tenant, read_at=now, version=version)
        return tenant

    async def lock(self, tenant_id: str) -> Tenant | None:
        """The tenant, locked for update (PostgreSQL) until the transaction ends."""
        self.touched.add(tenant_id)
        statement = (
            select(Tenant)
            .where(Tenant.id == tenant_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.exec(statement)).first()

    async def get_or_create(self, tenant: Tenant) -> tuple[Tenant, bool]:
        """The stored tenant with ``tenant.id``; ``tenant`` is inserted when there is none.

        Returns the tenant and whether it was created by this call.
        """
        existing = await self.get(tenant.id)
        if existing is not None:
            return existing, False
        refused = await try_insert(self._session, tenant)
        if refused is not None:
            # Another request created it between our read and our insert.
            stored = await self.get(tenant.id)
            if stored is None:
                raise refused
            return stored, False
        return tenant, True

    async def save(self, tenant: Tenant) -> None:
        """Write the tenant's changed settings (with the transaction's other changes)."""
        self.touched.add(tenant.id)
        self._session.add(tenant)

    async def all(self) -> list[Tenant]:
        """Every tenant, across tenants (few: one per workspace)."""
        return list((await self._session.exec(select(Tenant))).all())

    async def with_summary_channels(self) -> list[Tenant]:
        """Tenants that chose channels for the weekly summary, across tenants (the scheduler's
        work list)."""
        tenants = (await self._session.exec(select(Tenant))).all()
        # A JSON list's emptiness is spelled differently on each database; tenants are few.
        return [tenant for tenant in tenants if tenant.summary_channels]
