"""A batch of signals as another system sends it (JSON), checked item by item: what is wrong
with an item rejects that item alone, with a code and a sentence saying what is wrong.

The rules (docs/api.md): an ``id`` unique within the source; the client by exactly one of
``billing_id``, ``helpdesk_id`` or ``name``; a ``kind``; ``at`` in ISO 8601 with its offset;
tickets and touch points may carry ``minutes`` (a whole number); invoices carry an ``amount``
(a decimal, not negative, kept to the cent) and its ISO 4217 ``currency``, an overdue invoice
its ``due_at``, and any invoice the ``invoice_id`` that ties its payment or its being overdue
to its issue. Nothing else is accepted, so no text of a ticket or an invoice is ever kept.

The messages are for the developers of the sending system, so they are English, as HTTP
errors are; the codes are the contract.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Literal

from skills.settings.hourly_cost import CENTS, currency_code
from storage.book_models import SUPPORT_KINDS, SignalKind

MAX_SIGNALS = 500
# The columns' sizes (storage/book_models.py).
MAX_ID = 200
MAX_MINUTES = 1_000_000
MAX_AMOUNT = Decimal("999999999999.99")
SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}")
_AMOUNT_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")

ClientField = Literal["billing_id", "helpdesk_id", "name"]
CLIENT_FIELDS: tuple[ClientField, ...] = ("billing_id", "helpdesk_id", "name")


_COMMON = frozenset({"id", "client", "kind", "at"})
_FIELDS = {
    **{kind: _COMMON | {"minutes"} for kind in SUPPORT_KINDS},
    **{
        kind: _COMMON | {"amount", "currency", "due_at", "invoice_id"}
        for kind in SignalKind
        if kind not in SUPPORT_KINDS
    },
}
_ALL_FIELDS = frozenset().union(*_FIELDS.values())


class ErrorCode(StrEnum):
    """Why an item was rejected."""

    INVALID_ITEM = "invalid_item"
    MISSING_FIELD = "missing_field"
    INVALID_FIELD = "invalid_field"
    UNKNOWN_FIELD = "unknown_field"
    FIELD_NOT_ALLOWED = "field_not_allowed"
    UNKNOWN_CLIENT = "unknown_client"


@dataclass(frozen=True)
class ClientRef:
    """How a signal names its client."""

    field: ClientField
    value: str


@dataclass(frozen=True)
class SignalItem:
    """One checked signal, ready to record."""

    id: str
    client: ClientRef
    kind: SignalKind
    at: datetime
    minutes: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    due_at: datetime | None = None
    invoice_id: str | None = None


@dataclass(frozen=True)
class Rejection:
    """An item that will not be recorded, and why."""

    id: str | None
    error: ErrorCode
    message: str


@dataclass(frozen=True)
class Batch:
    """A checked batch: its source and, in order, each item checked or rejected."""

    source: str
    items: tuple[SignalItem | Rejection, ...]


class BatchError(ValueError):
    """The batch as a whole is not one (its items are not looked at); ``too_many`` when it is
    over ``MAX_SIGNALS``."""

    def __init__(self, message: str, *, too_many: bool = False) -> None:
        super().__init__(message)
        self.too_many = too_many


class _ItemError(ValueError):
    def __init__(self, error: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.error = error


def check_batch(body: object) -> Batch:
    """The batch ``body`` (parsed JSON) holds, each item checked; BatchError when it is not
    ``{"source": …, "signals": […]}`` or has more than ``MAX_SIGNALS`` items."""
    if not isinstance(body, dict):
        raise BatchError('the body is a JSON object: {"source": "…", "signals": […]}')
    unknown = sorted(set(body) - {"source", "signals"})
    if unknown:
        raise BatchError(f"unknown fields: {', '.join(unknown)}")
    source, signals = body.get("source"), body.get("signals")
    if not isinstance(source, str) or SOURCE.fullmatch(source) is None:
        raise BatchError(
            "source names the sending system: 1 to 100 letters, digits or . _ : / -, "
            "starting with a letter or digit"
        )
    if not isinstance(signals, list):
        raise BatchError("signals is a list of signals")
    if len(signals) > MAX_SIGNALS:
        raise BatchError(
            f"a batch holds at most {MAX_SIGNALS} signals; this one has {len(signals)}: "
            f"send it in several",
            too_many=True,
        )
    return Batch(source, tuple(_check_item(item) for item in signals))


def _check_item(item: object) -> SignalItem | Rejection:
    if not isinstance(item, dict):
        return Rejection(None, ErrorCode.INVALID_ITEM, "a signal is a JSON object")
    raw_id = item.get("id")
    item_id = raw_id if _is_text(raw_id) else None
    try:
        if item_id is None:
            raise _missing_or_invalid(item, "id", f"a text of 1 to {MAX_ID} characters")
        return _checked(item_id, item)
    except _ItemError as wrong:
        return Rejection(item_id, wrong.error, str(wrong))


def _checked(item_id: str, item: dict[str, object]) -> SignalItem:
    unknown = sorted(set(item) - _ALL_FIELDS)
    if unknown:
        raise _ItemError(ErrorCode.UNKNOWN_FIELD, f"unknown fields: {', '.join(unknown)}")
    kinds = ", ".join(kind.value for kind in SignalKind)
    try:
        kind = SignalKind(str(item.get("kind")))
    except ValueError:
        raise _missing_or_invalid(item, "kind", f"one of {kinds}") from None
    not_allowed = sorted(set(item) - _FIELDS[kind])
    if not_allowed:
        raise _ItemError(
            ErrorCode.FIELD_NOT_ALLOWED, f"{kind} does not take {', '.join(not_allowed)}"
        )
    client = _client(item)
    at = _moment(item, "at")
    if kind in SUPPORT_KINDS:
        return SignalItem(item_id, client, kind, at, minutes=_minutes(item))
    return SignalItem(
        item_id,
        client,
        kind,
        at,
        amount=_amount(item),
        currency=_currency(item),
        # The days an invoice is overdue count from when it fell due.
        due_at=_moment(item, "due_at")
        if kind is SignalKind.INVOICE_OVERDUE or "due_at" in item
        else None,
        invoice_id=_invoice_id(item),
    )


def _client(item: dict[str, object]) -> ClientRef:
    client = item.get("client")
    rule = 'an object with one of billing_id, helpdesk_id or name: {"billing_id": "…"}'
    if not isinstance(client, dict) or len(client) != 1:
        raise _missing_or_invalid(item, "client", rule)
    [(field, value)] = client.items()
    if field not in CLIENT_FIELDS or not _is_text(value):
        raise _missing_or_invalid(item, "client", f"{rule}, its value a text of 1 to {MAX_ID}")
    return ClientRef(field, value)


def _moment(item: dict[str, object], field: str) -> datetime:
    value = item.get(field)
    rule = "a date and time in ISO 8601 with its offset, like 2026-03-02T09:30:00+01:00"
    if not isinstance(value, str):
        raise _missing_or_invalid(item, field, rule)
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("no offset")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _ItemError(ErrorCode.INVALID_FIELD, f"{field} is {rule}") from None


def _minutes(item: dict[str, object]) -> int | None:
    if "minutes" not in item:
        return None
    value = item["minutes"]
    if type(value) is not int or not 0 <= value <= MAX_MINUTES:
        raise _ItemError(
            ErrorCode.INVALID_FIELD, f"minutes is a whole number from 0 to {MAX_MINUTES}"
        )
    return value


def _amount(item: dict[str, object]) -> Decimal:
    value = item.get("amount")
    rule = (
        f'a decimal number from 0 to {MAX_AMOUNT} (a JSON number, or a text like "120.50"); '
        f"it is kept to the cent"
    )
    if isinstance(value, str) and _AMOUNT_TEXT.fullmatch(value):
        value = Decimal(value)
    # bool is an int to Python, and no amount.
    if not isinstance(value, int | Decimal) or isinstance(value, bool):
        raise _missing_or_invalid(item, "amount", rule)
    amount = Decimal(value)
    if not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        raise _ItemError(ErrorCode.INVALID_FIELD, f"amount is {rule}")
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def _currency(item: dict[str, object]) -> str:
    value = item.get("currency")
    code = currency_code(value) if isinstance(value, str) and len(value) == 3 else None
    if code is None:
        raise _missing_or_invalid(
            item, "currency", "the ISO 4217 code of a currency in use, like EUR, USD or JPY"
        )
    return code


def _invoice_id(item: dict[str, object]) -> str | None:
    value = item.get("invoice_id")
    if value is None and "invoice_id" not in item:
        return None
    if not _is_text(value):
        raise _ItemError(
            ErrorCode.INVALID_FIELD, f"invoice_id is a text of 1 to {MAX_ID} characters"
        )
    return str(value)


def _is_text(value: object) -> bool:
    """A short, printable, not blank text: what an id or a name is."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ID
        and value.isprintable()
        and not value.isspace()
    )


def _missing_or_invalid(item: dict[str, object], field: str, rule: str) -> _ItemError:
    if field not in item:
        return _ItemError(ErrorCode.MISSING_FIELD, f"{field} is missing: {rule}")
    return _ItemError(ErrorCode.INVALID_FIELD, f"{field} is {rule}")
