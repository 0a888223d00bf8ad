"""Stripe's events (already verified, as a dict) read as signals (docs/integrations.md):

| event | signal |
|---|---|
| ``invoice.finalized`` | ``invoice_issued`` (the invoice's total) |
| ``invoice.paid`` | ``invoice_paid`` (the amount paid) |
| ``invoice.overdue``, ``invoice.payment_failed`` once due | ``invoice_overdue`` (amount left) |
| ``invoice.voided`` | the invoice's issue and overdue signals are removed |
| ``customer.updated`` | the name of a customer already waiting to be matched |

Every signal's id is the event's id; its time the event's ``created``; ``invoice_id`` is the
invoice's id, so a payment settles an overdue invoice whatever order the events come in.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skills.integrations.receiving import INVOICE_VOIDED, Heard, Said
from skills.settings.hourly_cost import currency_code
from storage.book_models import SignalKind

# Stripe's own list of currencies whose amounts are not in hundredths (its "zero-decimal"
# and "three-decimal" currencies); every other is in hundredths, even where ISO 4217 says
# otherwise (Stripe's rule for ISK, HUF, TWD and UGX payouts is beside the point here).
_ZERO_DECIMAL = frozenset(
    {
        *("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"),
        *("PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"),
    }
)
_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})

# event type → (signal kind, the invoice's amount field)
_INVOICE_EVENTS: dict[str, tuple[str, str]] = {
    "invoice.finalized": (SignalKind.INVOICE_ISSUED.value, "total"),
    "invoice.paid": (SignalKind.INVOICE_PAID.value, "amount_paid"),
    "invoice.payment_failed": (SignalKind.INVOICE_OVERDUE.value, "amount_remaining"),
    "invoice.overdue": (SignalKind.INVOICE_OVERDUE.value, "amount_remaining"),
    "invoice.voided": (INVOICE_VOIDED, "total"),
}
EVENT_TYPES = (*_INVOICE_EVENTS, "customer.updated")


def read_event(event: dict[str, Any]) -> Said | None:
    """The account and signals a Stripe event carries; None for an event Yellowcard does not
    read (another type, or one without a customer)."""
    kind_and_amount = _INVOICE_EVENTS.get(str(event.get("type")))
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        return None
    if event.get("type") == "customer.updated":
        customer = _text(obj.get("id"))
        return Said(customer, _text(obj.get("name"))) if customer else None
    if kind_and_amount is None:
        return None
    customer = _customer(obj.get("customer"))
    event_id, invoice_id = _text(event.get("id")), _text(obj.get("id"))
    currency = _currency(obj.get("currency"))
    created = _moment(event.get("created"))
    if customer is None or event_id is None or invoice_id is None or created is None:
        return None
    kind, amount_field = kind_and_amount
    due = _moment(obj.get("due_date"))
    if event.get("type") == "invoice.payment_failed" and (due is None or due > created):
        # A card declined on an invoice charged automatically, or before its due date, is not
        # an invoice overdue: Stripe retries it, and says invoice.overdue once it is.
        return None
    heard = Heard(
        external_id=event_id,
        kind=kind,
        at=created,
        amount=_amount(obj.get(amount_field), currency),
        currency=currency,
        due_at=due if kind == SignalKind.INVOICE_OVERDUE.value else None,
        invoice_id=invoice_id,
    )
    return Said(customer, _text(obj.get("customer_name")), (heard,))


def _customer(value: object) -> str | None:
    # Webhooks send the customer's id; an expanded customer is an object with it.
    if isinstance(value, dict):
        value = value.get("id")
    return _text(value)


def _text(value: object) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= 200 and value.isprintable():
        return value
    return None


def _currency(value: object) -> str | None:
    return currency_code(value.upper()) if isinstance(value, str) and len(value) == 3 else None


def _amount(value: object, currency: str | None) -> Decimal | None:
    """Stripe's integer amount in the currency's smallest unit, as a decimal amount."""
    if type(value) is not int or value < 0 or currency is None:
        return None
    if currency in _ZERO_DECIMAL:
        return Decimal(value)
    places = 3 if currency in _THREE_DECIMAL else 2
    return (Decimal(value) / Decimal(10) ** places).quantize(Decimal("0.01"))


def _moment(value: object) -> datetime | None:
    if type(value) is not int or value <= 0:
        return None
    return datetime.fromtimestamp(value, UTC)
