"""Each process's copy of the tenants: served for a bounded time, never older than a change
this process made."""

from datetime import UTC, datetime, timedelta

from storage.models import Tenant
from storage.tenant_cache import CACHE_SECONDS, TenantCache

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _tenant(threshold: int) -> Tenant:
    return Tenant(id="t1", platform="local", threshold=threshold, created_at=NOW)


def test_a_copy_is_served_until_it_is_as_old_as_the_lifetime() -> None:
    cache = TenantCache()
    cache.put(_tenant(2), read_at=NOW, version=cache.version("t1"))
    kept = cache.get("t1", now=NOW + timedelta(seconds=CACHE_SECONDS - 1))
    assert kept is not None
    assert kept.threshold == 2
    assert cache.get("t1", now=NOW + timedelta(seconds=CACHE_SECONDS)) is None
    assert cache.get("t1", now=NOW - timedelta(seconds=1)) is None  # the clock went back


def test_each_copy_is_the_callers_own() -> None:
    cache = TenantCache()
    cache.put(_tenant(2), read_at=NOW, version=cache.version("t1"))
    first = cache.get("t1", now=NOW)
    assert first is not None
    first.threshold = 9
    again = cache.get("t1", now=NOW)
    assert again is not None
    assert again.threshold == 2


def test_a_read_that_began_before_a_change_is_not_kept() -> None:
    cache = TenantCache()
    version = cache.version("t1")  # a request begins to read the tenant
    cache.forget(["t1"])  # meanwhile another request of this process commits a change
    cache.put(_tenant(2), read_at=NOW, version=version)  # the first read ends, with the old row
    assert cache.get("t1", now=NOW) is None
    cache.put(_tenant(3), read_at=NOW, version=cache.version("t1"))
    kept = cache.get("t1", now=NOW)
    assert kept is not None
    assert kept.threshold == 3
