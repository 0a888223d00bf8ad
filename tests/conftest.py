"""Fixtures shared by the whole suite: databases (SQLite and PostgreSQL), services, a workspace."""

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from tests.support.clock import FakeClock
from tests.support.databases import (
    fresh_postgres_database,
    postgres_url_or_skip,
    sqlite_url,
)
from tests.support.workspace import Workspace

SHARED_FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """In CI nothing may be skipped for something missing: fail loudly instead."""
    if not os.environ.get("CI"):
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        raise pytest.UsageError("CI must set TEST_DATABASE_URL so the PostgreSQL tests run")
    if not SHARED_FIXTURES.is_dir():
        raise pytest.UsageError(f"CI must have {SHARED_FIXTURES} beside the clone")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A migrated, empty database of each kind; tests isolate themselves by tenant."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("sqlite"))
        await _migrate(url)
        yield url
        return
    async with fresh_postgres_database(postgres_url_or_skip()) as url:
        await _migrate(url)
        yield url


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """One engine per database for the session."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves."""
    return FakeClock()


@pytest.fixture
def services(engine: AsyncEngine, clock: FakeClock) -> Services:
    """Skills' services on the test database and the fake clock."""
    return Services(create_session_factory(engine), clock=clock)


@pytest.fixture
async def workspace(services: Services, clock: FakeClock) -> Workspace:
    """A new tenant whose first manager is "maria"; every test gets its own."""
    tenant_id = f"test:{uuid.uuid4().hex[:10]}"
    founder = Actor(tenant_id, "maria", "María")
    await ensure_tenant(services, tenant_id=tenant_id, platform="local", founder=founder)
    return Workspace(services, clock, tenant_id)


@pytest.fixture
def tmp_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (for the CLI's default ./yellowcard.db and .env)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
