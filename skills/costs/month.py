"""A client's month in figures: tickets, touch points and support minutes, the cost to serve,
the revenue, what is overdue, and the cost against the revenue (docs/costs.md).

A month is a calendar month in the tenant's timezone. ``figures`` is the rule, pure; the sums
it reads are SQL aggregates (``storage.repositories.client_costs``), fetched for many clients
at once by ``month_figures``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from skills.core.scope import Scope
from skills.settings.hourly_cost import CENTS, is_set
from storage.models import Client, Tenant
from storage.repositories.client_costs import MINUTES_PER_HOUR, OverdueInvoice, SignalTotals


class NoRatio(StrEnum):
    """Why a month has no cost-to-revenue ratio."""

    NO_HOURLY_COST = "no_hourly_cost"
    # No ticket or touch point of the client was received that month: no data, which is not
    # no support (invoices say what it paid, not what it took).
    NO_SUPPORT_SIGNALS = "no_support_signals"
    NO_REVENUE = "no_revenue"
    # Issued invoices in more than one currency: they cannot be added up without exchange
    # rates, which Yellowcard does not keep.
    MIXED_INVOICE_CURRENCIES = "mixed_invoice_currencies"
    OTHER_CURRENCY = "other_currency"


class RevenueFrom(StrEnum):
    """Where a month's revenue comes from."""

    INVOICES = "invoices"
    RECORD = "record"


@dataclass(frozen=True)
class Month:
    """A calendar month in a timezone, as the UTC range [start, end)."""

    first_day: date
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """``2026-02``."""
        return f"{self.first_day:%Y-%m}"


def calendar_month(at: datetime, timezone: str, *, back: int = 0) -> Month:
    """The month holding ``at`` in ``timezone``, or the one ``back`` months before it."""
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    index = local.year * 12 + local.month - 1 - back
    first = date(index // 12, index % 12 + 1, 1)
    following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)

    def begins(day: date) -> datetime:
        return datetime.combine(day, time(), zone)

    return Month(first, begins(first), begins(following))


def last_full_month(now: datetime, timezone: str) -> Month:
    """The last month that has ended: the figures shown are of a whole month."""
    return calendar_month(now, timezone, back=1)


@dataclass(frozen=True)
class Overdue:
    """Invoices overdue at a moment: the amount per currency, and the days since the oldest
    fell due."""

    amounts: tuple[tuple[str, Decimal], ...]
    days: int

    @property
    def as_data(self) -> dict[str, object]:
        """JSON-ready: amounts as strings, to the cent."""
        return {
            "amounts": {currency: str(amount) for currency, amount in self.amounts},
            "days": self.days,
        }


@dataclass(frozen=True)
class MonthFigures:
    """One client's month. ``cost`` is in ``cost_currency`` (the tenant's hourly cost's);
    ``revenue`` in ``revenue_currency``; ``ratio`` is cost ÷ revenue, or None for the reason in
    ``no_ratio``."""

    client_id: int
    month: Month
    has_signals: bool
    # Tickets or touch points: only these say how much support the client took.
    has_support_signals: bool
    tickets_opened: int
    tickets_solved: int
    touches: int
    minutes: int
    cost: Decimal | None
    cost_currency: str | None
    revenue: Decimal | None
    revenue_currency: str | None
    revenue_from: RevenueFrom | None
    ratio: Decimal | None
    no_ratio: NoRatio | None
    overdue: Overdue | None

    @property
    def hours(self) -> Decimal:
        """The support minutes as hours, to the hundredth."""
        return (Decimal(self.minutes) / MINUTES_PER_HOUR).quantize(CENTS)

    @property
    def costs_more_than_it_pays(self) -> bool:
        """Whether the cost to serve is above the revenue."""
        return self.ratio is not None and self.ratio > 1

    @property
    def as_data(self) -> dict[str, object]:
        """JSON-ready, amounts as strings to the cent (the export's and the replies' data)."""
        return {
            "month": self.month.key,
            "has_signals": self.has_signals,
            "has_support_signals": self.has_support_signals,
            "tickets_opened": self.tickets_opened,
            "tickets_solved": self.tickets_solved,
            "touches": self.touches,
            "support_minutes": self.minutes,
            "monthly_cost_to_serve": _text(self.cost),
            "cost_currency": self.cost_currency,
            "monthly_revenue": _text(self.revenue),
            "revenue_currency": self.revenue_currency,
            "revenue_from": self.revenue_from,
            "cost_to_revenue": None if self.ratio is None else float(self.ratio),
            "no_ratio": self.no_ratio,
            "overdue": self.overdue.as_data if self.overdue else None,
        }


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def overdue_of(invoices: Sequence[OverdueInvoice], at: datetime) -> Overdue | None:
    """What ``invoices`` (one client's, oldest first) leave overdue at ``at``: an invoice
    reported overdue more than once counts once, at its latest amount; its days run from when
    it fell due (when it was reported overdue, if no due date came with it)."""
    if not invoices:
        return None
    latest: dict[str, OverdueInvoice] = {}
    since: dict[str, datetime] = {}
    for invoice in invoices:
        latest[invoice.invoice] = invoice
        due = invoice.due_at or invoice.occurred_at
        since[invoice.invoice] = min(since.get(invoice.invoice, due), due)
    amounts: dict[str, Decimal] = {}
    for invoice in latest.values():
        if invoice.amount is not None and invoice.currency is not None:
            amounts[invoice.currency] = amounts.get(invoice.currency, Decimal(0)) + invoice.amount
    days = max(0, (at - min(since.values())).days)
    return Overdue(tuple(sorted(amounts.items())), days)


def figures(
    tenant: Tenant,
    client: Client,
    month: Month,
    totals: SignalTotals | None,
    overdue: Overdue | None,
) -> MonthFigures:
    """The rule: cost = minutes ÷ 60 × the tenant's hourly cost, to the cent (half up), in a
    month with support signals (tickets or touch points); revenue = the month's issued
    invoices, or else the record's monthly revenue (in the record's currency, the tenant's when
    it has none); ratio = cost ÷ revenue, only when both are in the same currency."""
    minutes = totals.minutes if totals else 0
    supported = totals is not None and totals.support > 0
    cost = None
    if tenant.hourly_cost is not None and tenant.currency is not None and supported:
        hourly = Decimal(minutes) * tenant.hourly_cost / MINUTES_PER_HOUR
        # Half up, as the board's SQL rounds (storage.repositories.client_costs.cost_ranking).
        cost = hourly.quantize(CENTS, rounding=ROUND_HALF_UP)
    revenue: Decimal | None = None
    revenue_currency: str | None = None
    revenue_from: RevenueFrom | None = None
    mixed = False
    if totals is not None and totals.invoiced is not None:
        revenue_from = RevenueFrom.INVOICES
        low, high = totals.invoice_currencies
        mixed = low != high
        if not mixed:
            revenue, revenue_currency = totals.invoiced.quantize(CENTS), low
    elif client.monthly_revenue is not None:
        revenue_from = RevenueFrom.RECORD
        revenue = client.monthly_revenue.quantize(CENTS)
        revenue_currency = client.currency or tenant.currency
    ratio, no_ratio = _ratio(cost, tenant.currency, revenue, revenue_currency, mixed)
    if no_ratio is NoRatio.NO_HOURLY_COST and is_set(tenant):
        no_ratio = NoRatio.NO_SUPPORT_SIGNALS
    return MonthFigures(
        client_id=client.id or 0,
        month=month,
        has_signals=totals is not None,
        has_support_signals=supported,
        tickets_opened=totals.tickets_opened if totals else 0,
        tickets_solved=totals.tickets_solved if totals else 0,
        touches=totals.touches if totals else 0,
        minutes=minutes,
        cost=cost,
        cost_currency=tenant.currency if cost is not None else None,
        revenue=revenue,
        revenue_currency=revenue_currency,
        revenue_from=revenue_from,
        ratio=ratio,
        no_ratio=no_ratio,
        overdue=overdue,
    )


def _ratio(
    cost: Decimal | None,
    cost_currency: str | None,
    revenue: Decimal | None,
    revenue_currency: str | None,
    mixed: bool,
) -> tuple[Decimal | None, NoRatio | None]:
    if cost is None:
        return None, NoRatio.NO_HOURLY_COST
    if mixed:
        return None, NoRatio.MIXED_INVOICE_CURRENCIES
    if revenue is None or revenue <= 0:
        return None, NoRatio.NO_REVENUE
    if revenue_currency != cost_currency:
        return None, NoRatio.OTHER_CURRENCY
    return cost / revenue, None


async def month_figures(
    scope: Scope, clients: Sequence[Client], month: Month
) -> dict[int, MonthFigures]:
    """The month's figures of ``clients``, by client id, from two queries whatever their
    number; overdue as of the month's end (or now, for the month under way)."""
    ids = [client.id or 0 for client in clients]
    tenant_id = scope.tenant.id
    totals = await scope.uow.client_costs.month_totals(tenant_id, month.start, month.end, ids)
    at = min(month.end, scope.now)
    overdue = await overdue_now(scope, ids, at=at)
    return {
        client.id or 0: figures(
            scope.tenant, client, month, totals.get(client.id or 0), overdue.get(client.id or 0)
        )
        for client in clients
    }


async def overdue_now(
    scope: Scope, client_ids: Sequence[int], *, at: datetime | None = None
) -> dict[int, Overdue]:
    """What each of ``client_ids`` has overdue at ``at`` (now by default), in one query."""
    at = at or scope.now
    invoices = await scope.uow.client_costs.overdue(scope.tenant.id, at, client_ids)
    by_client: dict[int, list[OverdueInvoice]] = {}
    for invoice in invoices:
        by_client.setdefault(invoice.client_id, []).append(invoice)
    found = {client_id: overdue_of(items, at) for client_id, items in by_client.items()}
    return {client_id: overdue for client_id, overdue in found.items() if overdue}
