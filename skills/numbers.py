"""Whole numbers typed by people: digits only, within a range the database can hold."""

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
