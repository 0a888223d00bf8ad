"""The two rules that suggest a report, pure functions of figures already read
(docs/suggestions.md): each is written once and used by the run after signals and the daily
run alike."""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from skills.costs.month import MonthFigures, Overdue, overdue_of
from skills.settings.hourly_cost import CENTS
from storage.repositories.client_costs import OverdueInvoice

# A client is far above the others when its support minutes per amount paid are more than
# this many times the median of the clients paying in the same currency...
FACTOR = Decimal(3)
# ...and a median means something only over this many clients (the client itself included).
MIN_CLIENTS = 5
# Minutes are compared per this much revenue: "42 minutes per 100 EUR".
PER = Decimal(100)


class Rule(StrEnum):
    """The suggestion's rule, which is also the report category it suggests."""

    NON_PAYMENT = "non_payment"
    ATTENTION_HOG = "attention_hog"


@dataclass(frozen=True)
class UnpaidInvoice:
    """An invoice overdue, unpaid since, for at least the tenant's non-payment days."""

    client_id: int
    invoice: str
    overdue: Overdue
    due_at: datetime


@dataclass(frozen=True)
class HeavyContact:
    """A client's month with far more support per amount paid than the tenant's median."""

    client_id: int
    minutes: int
    revenue: Decimal
    currency: str
    per: Decimal
    median: Decimal
    compared: int


def unpaid_invoices(
    invoices: Sequence[OverdueInvoice], now: datetime, red_after_days: int
) -> list[UnpaidInvoice]:
    """Each invoice of ``invoices`` (the overdue signals not settled by a payment, oldest
    first) that is overdue for at least ``red_after_days`` days at ``now``: the same line the
    strike policy draws for a non-payment report to be red."""
    by_invoice: dict[tuple[int, str], list[OverdueInvoice]] = {}
    for signal in invoices:
        by_invoice.setdefault((signal.client_id, signal.invoice), []).append(signal)
    found = []
    for (client_id, invoice), signals in by_invoice.items():
        overdue = overdue_of(signals, now)
        if overdue is None or overdue.days < red_after_days:
            continue
        due = min(signal.due_at or signal.occurred_at for signal in signals)
        found.append(UnpaidInvoice(client_id, invoice, overdue, due))
    return found


def heavy_contact(months: Iterable[MonthFigures]) -> list[HeavyContact]:
    """The clients whose support minutes per ``PER`` of revenue are more than ``FACTOR`` times
    the median of that figure among the clients paying in the same currency, when at least
    ``MIN_CLIENTS`` of them had tickets or touch points and revenue that month (no exchange
    rates: a client is only compared with clients paying in its currency). A median of zero
    compares nothing."""
    groups: dict[str, list[tuple[MonthFigures, Decimal]]] = {}
    for month in months:
        # A month without tickets or touch points says nothing of its support (an invoice
        # alone is not a client that needed none): it is left out of the median, not a zero.
        if not month.has_support_signals or not month.revenue or month.revenue <= 0:
            continue
        if month.revenue_currency is None:
            continue
        per = Decimal(month.minutes) * PER / month.revenue
        groups.setdefault(month.revenue_currency, []).append((month, per))
    found = []
    for currency, members in groups.items():
        if len(members) < MIN_CLIENTS:
            continue
        median = Decimal(statistics.median(per for _month, per in members))
        if median <= 0:
            continue
        for month, per in members:
            if per > FACTOR * median:
                found.append(
                    HeavyContact(
                        month.client_id,
                        month.minutes,
                        month.revenue or Decimal(0),
                        currency,
                        per.quantize(CENTS),
                        median.quantize(CENTS),
                        len(members),
                    )
                )
    return found
