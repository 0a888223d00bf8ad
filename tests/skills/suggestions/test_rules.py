"""The two rules on figures built by hand, without a database."""

from datetime import UTC, datetime
from decimal import Decimal

from skills.costs.month import MonthFigures, RevenueFrom, calendar_month
from skills.suggestions.rules import heavy_contact, unpaid_invoices
from storage.repositories.client_costs import OverdueInvoice

FEBRUARY = calendar_month(datetime(2026, 2, 10, tzinfo=UTC), "UTC")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _month(
    client_id: int,
    minutes: int,
    revenue: str | None = "1000",
    currency: str = "EUR",
    *,
    support: bool = True,
) -> MonthFigures:
    return MonthFigures(
        client_id=client_id,
        month=FEBRUARY,
        has_signals=True,
        has_support_signals=support,
        tickets_opened=0,
        tickets_solved=0,
        touches=1 if support else 0,
        minutes=minutes,
        cost=None,
        cost_currency=None,
        revenue=None if revenue is None else Decimal(revenue),
        revenue_currency=currency if revenue is not None else None,
        revenue_from=RevenueFrom.RECORD if revenue is not None else None,
        ratio=None,
        no_ratio=None,
        overdue=None,
    )


def test_a_month_with_invoices_only_is_not_a_zero_in_the_median() -> None:
    # Six minutes per 100 EUR for five clients, fifteen for the sixth: 2.5 times the median,
    # not far above. Six invoice-only months counted as zeros would halve the median to 3,
    # and make the sixth client look five times above it.
    months = [_month(n, 60) for n in range(1, 6)] + [_month(6, 150)]
    months += [_month(n, 0, support=False) for n in range(7, 13)]
    assert heavy_contact(months) == []


def test_a_median_of_zero_compares_nothing() -> None:
    months = [_month(n, 0) for n in range(1, 6)] + [_month(6, 600)]
    assert heavy_contact(months) == []


def test_clients_without_revenue_are_not_counted_towards_the_median() -> None:
    months = [_month(n, 60) for n in range(1, 4)] + [_month(5, 900), _month(6, 60, None)]
    assert heavy_contact(months) == []  # three with revenue, and the heavy one: four
    [found] = heavy_contact([*months, _month(7, 60)])
    assert (found.client_id, found.per, found.median, found.compared) == (
        5,
        Decimal("90.00"),
        Decimal("6.00"),
        5,
    )


def test_exactly_three_times_the_median_is_not_far_above() -> None:
    months = [_month(n, 60) for n in range(1, 6)] + [_month(6, 180)]
    assert heavy_contact(months) == []


def _overdue(
    invoice: str, due: str, amount: str, *, reported: str = "2026-01-02"
) -> OverdueInvoice:
    return OverdueInvoice(
        client_id=1,
        invoice=invoice,
        amount=Decimal(amount),
        currency="EUR",
        due_at=datetime.fromisoformat(due).replace(tzinfo=UTC),
        occurred_at=datetime.fromisoformat(reported).replace(tzinfo=UTC),
    )


def test_each_invoice_counts_from_its_own_due_date_at_its_latest_amount() -> None:
    invoices = [
        _overdue("in_1", "2026-01-01", "100"),
        _overdue("in_1", "2026-01-01", "120", reported="2026-02-01"),
        _overdue("in_2", "2026-02-01", "50"),
    ]
    [found] = unpaid_invoices(invoices, NOW, 60)
    assert (found.invoice, found.overdue.days, found.overdue.amounts) == (
        "in_1",
        60,
        (("EUR", Decimal("120")),),
    )
    assert len(unpaid_invoices(invoices, NOW, 29)) == 2
