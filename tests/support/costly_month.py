"""Signals that make a client cost 2.3 times what it paid last month, written as ``Signal``
rows for tests of the surfaces (the API that takes signals is tested on its own)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from skills.costs.month import last_full_month
from storage.book_models import Signal
from storage.models import Client, Tenant


async def costly_last_month(engine: AsyncEngine, tenant_id: str, client: str) -> None:
    """``client``'s last month, as the app's system clock sees it: a ticket of 120 minutes and
    a touch of 156 (4.6 hours, 276 EUR at 60 an hour) against an invoice of 120 EUR."""
    now = datetime.now(UTC)
    async with AsyncSession(engine) as session:
        tenant = await session.get(Tenant, tenant_id)
        assert tenant is not None
        found = (
            await session.exec(
                select(Client).where(Client.tenant_id == tenant_id, Client.name == client)
            )
        ).one()
        day = last_full_month(now, tenant.timezone).start + timedelta(days=3)
        rows = [("ticket_opened", 120, None), ("touch", 156, None), ("invoice_issued", None, "120")]
        for number, (kind, minutes, amount) in enumerate(rows):
            signal = {
                "tenant_id": tenant_id,
                "source": "helpdesk",
                "external_id": f"s{number}",
                "client_id": found.id,
                "kind": kind,
                "occurred_at": day + timedelta(hours=number),
                "minutes": minutes,
                "amount": Decimal(amount) if amount else None,
                "currency": "EUR" if amount else None,
                "received_at": now,
            }
            session.add(Signal.model_validate(signal))
        await session.commit()
