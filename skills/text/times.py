"""Dates and times typed by people, read in the tenant's timezone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from skills.text.i18n import Translator


def parse_moment(text: str | None, timezone: str) -> datetime | None:
    """ISO 8601 text (``2026-01-31``, ``2026-01-31 14:30``, with or without an offset) as an
    aware datetime; without an offset it is taken in ``timezone``. None when unreadable."""
    if not text or not text.strip():
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(timezone))


def moment_error(t: Translator) -> str:
    """How to write a date, for a field that could not be read."""
    return t._("Write the date as 2026-01-31, or 2026-01-31 14:30.")
