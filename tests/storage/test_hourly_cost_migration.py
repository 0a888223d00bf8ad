"""The migration that unsets the hourly cost and currency nobody chose: values a manager set
(as the audit log shows) stay, the defaults go, and so do value ratios computed from them."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert

from skills.core.context import Services
from storage.database import create_engine, create_session_factory
from storage.migrate import alembic_config, upgrade_to_head
from storage.models import Assessment, AuditEvent, Client, Tenant
from tests.support.clock import FakeClock
from tests.support.databases import fresh_postgres_database, postgres_url_or_skip, sqlite_url

MIGRATION = "0009_hourly_cost_unset_until_set"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
async def before_the_migration(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A database migrated to the revision before the one under test."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        await _migrate_to_previous(url)
        yield url
        return
    async with fresh_postgres_database(postgres_url_or_skip()) as url:
        await _migrate_to_previous(url)
        yield url


async def _migrate_to_previous(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to, _previous_revision())
    finally:
        await engine.dispose()


def _previous_revision() -> str:
    scripts = ScriptDirectory.from_config(alembic_config())
    [revision] = [
        script
        for script in scripts.walk_revisions()
        if Path(script.path).stem == MIGRATION  # found by file: the number may be re-chained
    ]
    assert isinstance(revision.down_revision, str)
    return revision.down_revision


def _upgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _downgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _tenant(tenant_id: str, cost: str, currency: str) -> Tenant:
    return Tenant(
        id=tenant_id,
        platform="local",
        created_at=START,
        hourly_cost=Decimal(cost),
        currency=currency,
    )


def _set(tenant_id: str, setting: str, at: datetime, outcome: str = "ok") -> AuditEvent:
    action = "settings.changed" if outcome == "ok" else "settings.change"
    return AuditEvent(
        tenant_id=tenant_id,
        at=at,
        actor_id="maria",
        action=action,
        outcome=outcome,
        subject_type="setting",
        subject_id=setting,
    )


def _assessed(tenant_id: str, client_id: int, at: datetime) -> Assessment:
    return Assessment(
        tenant_id=tenant_id,
        client_id=client_id,
        assessor_id="maria",
        bank_version=1,
        risk=0,
        value_ratio=6.0,
        recommendation="nurture",
        finished_at=at,
    )


async def test_only_what_a_manager_set_stays(before_the_migration: str) -> None:
    engine = create_engine(before_the_migration)
    services = Services(create_session_factory(engine), clock=FakeClock())
    later = START + timedelta(days=3)
    try:
        async with services.unit_of_work() as uow:
            for tenant in (
                _tenant("never", "50", "USD"),  # the defaults, nobody chose them
                _tenant("cost-only", "50", "USD"),  # a manager chose 50, never a currency
                _tenant("both", "72.50", "EUR"),
            ):
                await uow.tenants.get_or_create(tenant)
            await uow.commit()
        async with services.unit_of_work() as uow:
            for event in (
                _set("never", "hourly-cost", START, outcome="refused"),  # not a manager
                _set("cost-only", "hourly-cost", later),
                _set("both", "currency", START),
                _set("both", "hourly-cost", START),
            ):
                await uow.audit.record(event)
            await uow.commit()
        clients: dict[str, int] = {}
        async with engine.begin() as connection:
            for tenant_id in ("never", "cost-only", "both"):
                # Only the columns the schema had then: today's model has more (migration 0012).
                inserted = await connection.execute(
                    insert(Client.__table__)  # type: ignore[attr-defined]
                    .values(
                        tenant_id=tenant_id,
                        name="Acme",
                        lookup_key="acme",
                        aliases=[],
                        external_org_ids=[],
                        state="ok",
                        state_changed_at=START,
                        created_at=START,
                        created_by="maria",
                    )
                    .returning(Client.__table__.c.id)  # type: ignore[attr-defined]
                )
                clients[tenant_id] = int(inserted.scalar_one())
        async with services.unit_of_work() as uow:
            for tenant_id, client_id in clients.items():
                await uow.assessments.add(_assessed(tenant_id, client_id, START + timedelta(1)))
                await uow.assessments.add(_assessed(tenant_id, client_id, later + timedelta(1)))
            await uow.commit()

        await upgrade_to_head(engine)

        async with services.unit_of_work() as uow:
            stored = {}
            for tenant_id, client_id in clients.items():
                tenant = await uow.tenants.get(tenant_id)
                assert tenant is not None
                ratios = await uow.assessments.latest(tenant_id, client_id, limit=None)
                stored[tenant_id] = (
                    tenant.hourly_cost,
                    tenant.currency,
                    [row.value_ratio for row in ratios],  # newest first
                )
        # Down again, unset values are the old defaults; what a manager set stays.
        async with engine.begin() as connection:
            await connection.run_sync(_downgrade_to, _previous_revision())
        async with services.unit_of_work() as uow:
            restored = {
                tenant.id: (tenant.hourly_cost, tenant.currency)
                for tenant in await uow.tenants.all()
            }
    finally:
        await engine.dispose()
    assert restored == {
        "never": (Decimal("50.00"), "USD"),
        "cost-only": (Decimal("50.00"), "USD"),
        "both": (Decimal("72.50"), "EUR"),
    }
    assert stored == {
        "never": (None, None, [None, None]),
        # The ratio of the assessment finished before the manager chose the cost used 50 as a
        # default; the one after it used the cost they chose.
        "cost-only": (Decimal("50.00"), None, [6.0, None]),
        "both": (Decimal("72.50"), "EUR", [6.0, 6.0]),
    }
