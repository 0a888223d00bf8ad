"""Dates, times of day and weekdays typed by people (read in the tenant's timezone), and
weekday names."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from skills.text.i18n import SUPPORTED_LANGUAGES, Translator
from skills.text.names import normalize
from skills.text.numbers import whole_number

_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")


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


def parse_weekday(text: str, t: Translator) -> int | None:
    """0 (Monday) to 6: a number 1–7, or a day's name in any supported language."""
    number = whole_number(text, lowest=1, highest=7)
    if number is not None:
        return number - 1
    wanted = normalize(text)
    for language in (t.language, *SUPPORTED_LANGUAGES):
        locale = language.replace("-", "_")
        for width in ("wide", "abbreviated"):
            for weekday, name in get_day_names(width, locale=locale).items():
                if normalize(str(name)) == wanted:
                    return int(weekday)
    return None


def parse_time_of_day(text: str) -> str | None:
    """``HH:MM`` (24-hour) from ``9``, ``9:30`` or ``09:30``; None when it is not a time."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def weekday_name(t: Translator, weekday: int) -> str:
    """Monday (0) to Sunday (6), in the translator's language, as written mid-sentence
    (CLDR's own case: "Monday", but "lunes")."""
    return str(get_day_names("wide", locale=t.locale)[weekday])
