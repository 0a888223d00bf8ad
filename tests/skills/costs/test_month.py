"""The month's figures on a hand-built quarter: the rule, the month's bounds in the tenant's
timezone, the currency rule, and overdue invoices settled by their payment."""

from datetime import UTC, datetime
from decimal import Decimal

from skills.core.context import Actor
from skills.core.scope import open_scope
from skills.costs.month import (
    MonthFigures,
    NoRatio,
    RevenueFrom,
    calendar_month,
    last_full_month,
    month_figures,
    overdue_now,
)
from tests.skills.costs.book import add_signals, invoice, quarter
from tests.support.workspace import Workspace


def test_a_month_is_the_calendar_month_in_the_tenants_timezone() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    month = last_full_month(now, "Europe/Madrid")
    assert month.key == "2026-02"
    assert month.start == datetime(2026, 1, 31, 23, 0, tzinfo=UTC)
    assert month.end == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    # Across a year, and in summer time.
    assert calendar_month(now, "UTC", back=3).key == "2025-12"
    assert calendar_month(now, "Asia/Tokyo", back=15).key == "2024-12"
    july = calendar_month(datetime(2026, 7, 15, tzinfo=UTC), "Europe/Madrid")
    assert july.start == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)


async def _figures(ws: Workspace, ids: dict[str, int], back: int) -> dict[str, MonthFigures]:
    """The figures of the month ``back`` months before the clock's, by client name."""
    async with open_scope(ws.services, Actor(ws.tenant_id, "maria", "María")) as scope:
        clients = [
            await scope.uow.clients.get(ws.tenant_id, client_id) for client_id in ids.values()
        ]
        assert None not in clients
        month = calendar_month(scope.now, scope.tenant.timezone, back=back)
        found = await month_figures(scope, [client for client in clients if client], month)
    return {name: found[client_id] for name, client_id in ids.items()}


async def test_the_quarter_in_figures(workspace: Workspace) -> None:
    ids = await quarter(workspace)
    december, january, february = [await _figures(workspace, ids, back) for back in (3, 2, 1)]

    acme = december["Acme Corp"]
    assert (acme.tickets_opened, acme.tickets_solved, acme.touches) == (3, 1, 1)
    assert acme.minutes == 180
    assert (acme.cost, acme.cost_currency) == (Decimal("180.00"), "EUR")
    assert (acme.revenue, acme.revenue_currency) == (Decimal("1000.00"), "EUR")
    assert acme.revenue_from is RevenueFrom.RECORD
    assert acme.ratio == Decimal("0.18")
    assert acme.overdue is None

    # The touch at 00:30 on New Year's Day in Madrid is January's; the invoice replaces the
    # record's revenue.
    acme = january["Acme Corp"]
    assert (acme.minutes, acme.touches, acme.cost) == (600, 1, Decimal("600.00"))
    assert (acme.revenue, acme.revenue_from) == (Decimal("400.00"), RevenueFrom.INVOICES)
    assert acme.ratio == Decimal("1.5")
    assert acme.costs_more_than_it_pays

    acme = february["Acme Corp"]
    assert (acme.tickets_opened, acme.minutes, acme.hours) == (2, 276, Decimal("4.60"))
    assert acme.cost == Decimal("276.00")
    assert acme.revenue == Decimal("120.00")
    assert acme.ratio == Decimal("2.3")
    # Reported overdue twice, counted once; 13 days from 15 February to the month's end.
    assert acme.overdue is not None
    assert acme.overdue.amounts == (("EUR", Decimal("400.00")),)
    assert acme.overdue.days == 13

    umbrella = february["Umbrella"]
    assert (umbrella.cost, umbrella.revenue_currency) == (Decimal("30.00"), "EUR")
    assert umbrella.ratio == Decimal("0.3")

    globex = february["Globex"]
    assert (globex.cost, globex.revenue, globex.revenue_currency) == (
        Decimal("60.00"),
        Decimal("500.00"),
        "USD",
    )
    assert (globex.ratio, globex.no_ratio) == (None, NoRatio.OTHER_CURRENCY)

    initech = february["Initech"]
    assert (initech.revenue, initech.no_ratio) == (None, NoRatio.MIXED_INVOICE_CURRENCIES)
    assert initech.cost == Decimal("15.00")

    assert (january["Initech"].cost, january["Initech"].revenue) == (Decimal("90.00"), None)
    assert january["Initech"].no_ratio is NoRatio.NO_REVENUE

    # Nothing received in December about the others: no data, not zero support.
    umbrella = december["Umbrella"]
    assert (umbrella.has_signals, umbrella.cost, umbrella.revenue) == (
        False,
        None,
        Decimal("100.00"),
    )
    assert (umbrella.ratio, umbrella.no_ratio) == (None, NoRatio.NO_SUPPORT_SIGNALS)


async def test_a_payment_settles_what_was_overdue(workspace: Workspace) -> None:
    ids = await quarter(workspace)
    acme = ids["Acme Corp"]
    async with open_scope(workspace.services, Actor(workspace.tenant_id, "ana", "Ana")) as scope:
        overdue = (await overdue_now(scope, [acme]))[acme]
    assert (overdue.amounts, overdue.days) == ((("EUR", Decimal("400.00")),), 15)

    await add_signals(workspace, acme, invoice("2026-03-01T12:00", "invoice_paid", "inv-1", "400"))
    async with open_scope(workspace.services, Actor(workspace.tenant_id, "ana", "Ana")) as scope:
        assert await overdue_now(scope, [acme]) == {}
    # February still ended with it overdue.
    assert (await _figures(workspace, ids, 1))["Acme Corp"].overdue is not None


async def test_no_cost_figures_without_an_hourly_cost(workspace: Workspace) -> None:
    ids = await quarter(workspace)
    async with workspace.services.unit_of_work() as uow:
        tenant = await uow.tenants.get(workspace.tenant_id)
        assert tenant is not None
        tenant.hourly_cost = tenant.currency = None
        await uow.tenants.save(tenant)
        await uow.commit()
    acme = (await _figures(workspace, ids, 1))["Acme Corp"]
    assert (acme.minutes, acme.cost, acme.ratio) == (276, None, None)
    assert acme.no_ratio is NoRatio.NO_HOURLY_COST
