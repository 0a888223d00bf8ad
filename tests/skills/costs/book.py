"""A hand-built quarter of signals (December 2025 to February 2026, in Madrid) for four
clients, written as ``Signal`` rows, and the workspace's hourly cost of 60 euros."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from skills.text.names import normalize
from storage.book_models import Signal
from tests.support.factories import client_row
from tests.support.workspace import Workspace


def at(day: str) -> datetime:
    """``2026-02-03T10:00`` in UTC."""
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


async def add_client(ws: Workspace, name: str, **fields: object) -> int:
    """A client with the record's ``fields``; its id."""
    async with ws.services.unit_of_work() as uow:
        client = await uow.clients.add(
            client_row(
                ws.tenant_id,
                name=name,
                lookup_key=normalize(name),
                created_at=ws.clock.now,
                **fields,
            )
        )
        await uow.commit()
        return client.id or 0


async def add_signals(ws: Workspace, client_id: int, *signals: dict[str, object]) -> None:
    """``Signal`` rows of the client from the source ``test``, numbered on."""
    async with ws.services.session_factory() as session:
        for signal in signals:
            fields = {
                "tenant_id": ws.tenant_id,
                "source": "test",
                "client_id": client_id,
                "received_at": ws.clock.now,
                **signal,
            }
            fields.setdefault("external_id", uuid.uuid4().hex)
            session.add(Signal.model_validate(fields))
        await session.commit()


def ticket(day: str, minutes: int, kind: str = "ticket_opened") -> dict[str, object]:
    """A ticket (opened unless told) with its minutes."""
    return {"kind": kind, "occurred_at": at(day), "minutes": minutes}


def touch(day: str, minutes: int) -> dict[str, object]:
    """A touch point with its minutes."""
    return {"kind": "touch", "occurred_at": at(day), "minutes": minutes}


def invoice(
    day: str, kind: str, invoice_id: str, amount: str, currency: str = "EUR", due: str = ""
) -> dict[str, object]:
    """An invoice issued, paid or overdue."""
    return {
        "kind": kind,
        "occurred_at": at(day),
        "invoice_id": invoice_id,
        "amount": Decimal(amount),
        "currency": currency,
        "due_at": at(due) if due else None,
    }


async def quarter(ws: Workspace) -> dict[str, int]:
    """The quarter's clients by name, their signals stored, the hourly cost 60 EUR and the
    timezone Madrid's.

    - Acme Corp (1,000 EUR a month on record): December 180 minutes and no invoice (0.18);
      January 600 minutes, a touch at 00:30 on 1 January in Madrid (23:30 UTC the day
      before), invoiced 400 EUR (1.5); February 276 minutes, invoiced 120 EUR (2.3), and
      January's invoice overdue since 15 February, reported twice.
    - Umbrella (100 a month on record, no currency: the workspace's): February 30 minutes (0.3).
    - Globex (500 USD on record): February 60 minutes; no ratio, two currencies.
    - Initech (no revenue on record): January 90 minutes and no invoice, so no ratio;
      February 15 minutes and invoices in EUR and in USD, no ratio either.
    """
    await ws.say("/client settings hourly-cost 60 EUR", as_user="maria")
    await ws.say("/client settings timezone Europe/Madrid", as_user="maria")
    acme = await add_client(ws, "Acme Corp", monthly_revenue=Decimal(1000), currency="EUR")
    await add_signals(
        ws,
        acme,
        ticket("2025-12-01T09:00", 30),
        ticket("2025-12-03T09:00", 30),
        ticket("2025-12-05T09:00", 30),
        ticket("2025-12-05T12:00", 30, kind="ticket_solved"),
        touch("2025-12-10T09:00", 60),
        touch("2025-12-31T23:30", 600),
        invoice("2026-01-20T09:00", "invoice_issued", "inv-1", "400", due="2026-02-15T00:00"),
        ticket("2026-02-02T09:00", 120),
        ticket("2026-02-09T09:00", 156),
        invoice("2026-02-16T09:00", "invoice_overdue", "inv-1", "400", due="2026-02-15T00:00"),
        invoice("2026-02-20T09:00", "invoice_overdue", "inv-1", "400", due="2026-02-15T00:00"),
        invoice("2026-02-25T09:00", "invoice_issued", "inv-2", "120"),
    )
    umbrella = await add_client(ws, "Umbrella", monthly_revenue=Decimal(100))
    await add_signals(ws, umbrella, touch("2026-02-11T09:00", 30))
    globex = await add_client(ws, "Globex", monthly_revenue=Decimal(500), currency="USD")
    await add_signals(ws, globex, touch("2026-02-12T09:00", 60))
    initech = await add_client(ws, "Initech")
    await add_signals(
        ws,
        initech,
        touch("2026-01-14T09:00", 90),
        touch("2026-02-05T09:00", 15),
        invoice("2026-02-03T09:00", "invoice_issued", "i-1", "100"),
        invoice("2026-02-04T09:00", "invoice_issued", "i-2", "100", currency="USD"),
    )
    return {"Acme Corp": acme, "Umbrella": umbrella, "Globex": globex, "Initech": initech}
