"""Repository guarantees: tenant scoping, append-only reports, one open escalation."""

from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from skills.core.context import Services
from skills.core.tenancy import ensure_tenant
from storage.models import Escalation, Incident
from storage.unit_of_work import UnitOfWork
from tests.support.factories import NOW, client_row


async def _tenant_with_client(services: Services, tenant_id: str) -> int:
    await ensure_tenant(services, tenant_id=tenant_id, platform="local")
    async with services.unit_of_work() as uow:
        client = await uow.clients.add(client_row(tenant_id))
        await uow.commit()
        return client.id or 0


def _incident(tenant_id: str, client_id: int) -> Incident:
    return Incident(
        tenant_id=tenant_id,
        client_id=client_id,
        category="abuse",
        severity="red",
        details="x",
        occurred_at=NOW,
        recorded_at=NOW,
        reporter_id="ana",
        reporter_name="Ana",
    )


async def test_another_tenant_cannot_read_the_client(services: Services) -> None:
    client_id = await _tenant_with_client(services, "scope:a")
    await ensure_tenant(services, tenant_id="scope:b", platform="local")
    async with services.unit_of_work() as uow:
        assert await uow.clients.get("scope:a", client_id) is not None
        assert await uow.clients.get("scope:b", client_id) is None
        assert await uow.clients.by_lookup_key("scope:b", "acme") is None


async def test_void_is_written_once(services: Services) -> None:
    client_id = await _tenant_with_client(services, "void:a")
    async with services.unit_of_work() as uow:
        incident = await uow.incidents.add(_incident("void:a", client_id))
        assert incident is not None
        assert await uow.incidents.void("void:a", incident.id or 0, by="m", at=NOW, reason="r1")
        assert not await uow.incidents.void("void:a", incident.id or 0, by="n", at=NOW, reason="r2")
        await uow.commit()
    async with services.unit_of_work() as uow:
        stored = await uow.incidents.get("void:a", incident.id or 0)
        assert stored is not None
        assert (stored.voided_by, stored.void_reason, stored.voided_at) == ("m", "r1", NOW)


async def test_a_second_open_escalation_is_rejected(services: Services) -> None:
    client_id = await _tenant_with_client(services, "esc:a")
    row = Escalation(tenant_id="esc:a", client_id=client_id, reason="red", opened_at=NOW)
    async with services.unit_of_work() as uow:
        await uow.escalations.add(row)
        await uow.commit()
    async with services.unit_of_work() as uow:
        with pytest.raises(IntegrityError):
            await uow.escalations.add(
                Escalation(tenant_id="esc:a", client_id=client_id, reason="red", opened_at=NOW)
            )


async def test_leaving_without_commit_rolls_back(
    services: Services,
) -> None:
    client_id = await _tenant_with_client(services, "rollback:a")
    async with services.unit_of_work() as uow:
        await uow.incidents.add(_incident("rollback:a", client_id))
    async with services.unit_of_work() as uow:
        assert await uow.incidents.for_client("rollback:a", client_id) == []


async def test_naive_datetimes_are_refused(services: Services) -> None:
    session_factory: async_sessionmaker[AsyncSession] = services.session_factory
    client_id = await _tenant_with_client(services, "naive:a")
    incident = _incident("naive:a", client_id)
    incident.occurred_at = datetime(2026, 1, 1)
    async with UnitOfWork(session_factory) as uow:
        with pytest.raises(StatementError, match="naive datetimes are not stored"):
            await uow.incidents.add(incident)
