"""Numbers typed by people: whole numbers within a range the database can hold, and amounts
written the person's way."""

from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal

# The largest value of a 32-bit signed integer column (ids and counts on PostgreSQL).
MAX_INT32 = 2**31 - 1


def whole_number(text: str | None, *, lowest: int = 0, highest: int = MAX_INT32) -> int | None:
    """The number written in ``text`` (surrounding spaces allowed), or None when it is not a
    whole number from ``lowest`` to ``highest``."""
    if text is None:
        return None
    stripped = text.strip()
    # isdecimal, not isdigit: "²" is a digit that int() rejects.
    if not stripped.isdecimal() or len(stripped) > len(str(highest)):
        return None
    value = int(stripped)
    return value if lowest <= value <= highest else None


def parse_amount(text: str, locale: Locale) -> Decimal | None:
    """An amount written the person's way ("1.200,50" in Spanish, "1,200.50" in English), or
    plainly with a dot; None when it is neither."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    try:
        amount = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError:
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            return None
    return amount if amount.is_finite() else None
