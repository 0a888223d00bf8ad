"""Tenants and their policy, kept per process for a few seconds.

Every request reads its tenant (the policy, the managers, the language) and very few change it,
so a process keeps what it read for at most ``CACHE_SECONDS``. Bounded staleness, stated once:

- the process that changes a tenant forgets its copy when that transaction commits, so its own
  next request reads the change;
- every other process (a replica, the worker, the command line) reads it within
  ``CACHE_SECONDS`` of the commit, since no copy is served once it is that old.

What that means for the policy is in docs/operations.md ("Running several replicas"). Writes
never use a kept copy: settings lock the stored row (``TenantRepository.lock``).
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached

from storage.models import Tenant

CACHE_SECONDS = 5
# Tenants are few (one per workspace or Teams tenant); a bound all the same.
CACHE_SIZE = 10_000


@dataclass(frozen=True)
class _Kept:
    values: dict[str, Any]
    read_at: datetime


class TenantCache:
    """Copies of tenant rows, each served for ``seconds`` after it was read."""

    def __init__(self, seconds: float = CACHE_SECONDS) -> None:
        self._kept: dict[str, _Kept] = {}
        self._lifetime = timedelta(seconds=seconds)
        # How many times each tenant was forgotten: a read that began before a change was
        # committed must not keep what it read once the change is known (``put``).
        self._changes: dict[str, int] = {}

    def version(self, tenant_id: str) -> int:
        """A number that changes whenever the tenant is forgotten: take it before reading the
        tenant, and give it to ``put`` with what was read."""
        return self._changes.get(tenant_id, 0)

    def get(self, tenant_id: str, *, now: datetime) -> Tenant | None:
        """A copy of the tenant as read less than the lifetime ago, else None. The copy is
        the caller's own (detached from any session): changing it changes nothing stored."""
        kept = self._kept.get(tenant_id)
        # A clock that went back makes the age negative: not trusted either.
        if kept is None or not timedelta(0) <= now - kept.read_at < self._lifetime:
            return None
        tenant = Tenant(**copy.deepcopy(kept.values))
        make_transient_to_detached(tenant)
        return tenant

    def put(self, tenant: Tenant, *, read_at: datetime, version: int) -> None:
        """Keep the tenant's stored values as read at ``read_at``, unless it was forgotten
        since ``version`` was taken (the read may predate the change)."""
        if version != self.version(tenant.id):
            return
        if len(self._kept) >= CACHE_SIZE and tenant.id not in self._kept:
            self._kept.clear()
        columns = inspect(Tenant).column_attrs
        values = {column.key: copy.deepcopy(getattr(tenant, column.key)) for column in columns}
        self._kept[tenant.id] = _Kept(values, read_at)

    def forget(self, tenant_ids: Iterable[str]) -> None:
        """Drop the copies of tenants this process has just changed."""
        for tenant_id in tenant_ids:
            self._kept.pop(tenant_id, None)
            self._changes[tenant_id] = self.version(tenant_id) + 1
