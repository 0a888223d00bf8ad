"""The settings a manager can change, by name, and how each value is read and checked."""

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skills.core.people import not_a_person
from skills.core.scope import Scope
from skills.reports.categories import find_category
from skills.settings.hourly_cost import change_hourly_cost
from skills.settings.listening import LISTENING_CHANGES, LISTENING_NUMBERS
from skills.strikes.policy import Severity
from skills.text.i18n import SUPPORTED_LANGUAGES, supported_language
from skills.text.limits import NAME_LIMIT
from skills.text.mentions import channel_ids, people_ids
from skills.text.numbers import whole_number
from skills.text.times import parse_time_of_day, parse_weekday
from storage.models import Tenant

NUMBERS: dict[str, tuple[str, int, int]] = {
    # name: (tenant field, lowest, highest)
    "threshold": ("threshold", 1, 10),
    "window": ("window_days", 1, 3650),
    "reminder": ("reminder_days", 1, 90),
    "non-payment-days": ("non_payment_red_after_days", 1, 365),
    **LISTENING_NUMBERS,
}
SETTING_NAMES = (
    *NUMBERS,
    "severity",
    "timezone",
    "language",
    "managers",
    "hourly-cost",
    "summary-channels",
    "summary-day",
    "summary-time",
    *LISTENING_CHANGES,
)
MAX_SUMMARY_CHANNELS = 10


def _summary_channels(scope: Scope, tenant: Tenant, value: str) -> str | None:
    channels = [] if value.lower() in {"none", "off"} else channel_ids(value)
    if value.lower() not in {"none", "off"} and not channels:
        return scope.t._("Write: summary-channels #channel … (or none to stop the summary).")
    if len(channels) > MAX_SUMMARY_CHANNELS or any(len(item) > NAME_LIMIT for item in channels):
        return scope.t.n_(
            "Choose at most {count} channel for the summary.",
            "Choose at most {count} channels for the summary.",
            MAX_SUMMARY_CHANNELS,
        )
    tenant.summary_channels = list(dict.fromkeys(channels))
    return None


def _summary_day(scope: Scope, tenant: Tenant, value: str) -> str | None:
    weekday = parse_weekday(value, scope.t)
    if weekday is None:
        return scope.t._("Write a day of the week, like monday, or its number: 1 is Monday.")
    tenant.summary_weekday = weekday
    return None


def _summary_time(scope: Scope, tenant: Tenant, value: str) -> str | None:
    time = parse_time_of_day(value)
    if time is None:
        return scope.t._("Write a time of day as hours and minutes, like 09:00 or 16:30.")
    tenant.summary_time = time
    return None


def _number(name: str) -> Callable[[Scope, Tenant, str], str | None]:
    field, lowest, highest = NUMBERS[name]

    def change(scope: Scope, tenant: Tenant, value: str) -> str | None:
        number = whole_number(value, lowest=lowest, highest=highest)
        if number is None:
            # Plain digits, not t.number: whole_number reads digits only ("3.650" is refused).
            return scope.t._(
                "{name} is a whole number from {lowest} to {highest}.",
                name=name,
                lowest=lowest,
                highest=highest,
            )
        setattr(tenant, field, number)
        return None

    return change


def _severity(scope: Scope, tenant: Tenant, value: str) -> str | None:
    t = scope.t
    parts = value.split()
    entry = find_category(parts[0]) if parts else None
    levels = [severity.value for severity in Severity]
    if entry is None or len(parts) != 2 or parts[1] not in {*levels, "default"}:
        return t._("Write: severity <category> <note|yellow|red|default>.")
    overrides = dict(tenant.severity_overrides)
    if parts[1] == "default":
        overrides.pop(entry.key, None)
    else:
        overrides[entry.key] = parts[1]
    tenant.severity_overrides = overrides
    return None


def _timezone(scope: Scope, tenant: Tenant, value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return scope.t._(
            "{value} is not a timezone; use a name like Europe/Madrid.", value=scope.t.quote(value)
        )
    tenant.timezone = value
    return None


def _language(scope: Scope, tenant: Tenant, value: str) -> str | None:
    language = supported_language(value)
    if language is None:
        return scope.t._(
            "Yellowcard speaks: {languages}.", languages=scope.t.list_of(SUPPORTED_LANGUAGES)
        )
    tenant.language = language
    return None


def _managers(scope: Scope, tenant: Tenant, value: str) -> str | None:
    t = scope.t
    verb, _space, rest = value.partition(" ")
    people = people_ids(rest)
    if verb not in {"add", "remove"} or not people:
        return t._("Write: managers add <user> … or managers remove <user> …")
    managers = list(tenant.manager_ids)
    if verb == "add":
        # A name typed instead of a mention would be a manager nobody can ever be.
        platform = scope.tenant.platform
        strays = (not_a_person(scope.t, platform, person) for person in people)
        stray = next(filter(None, strays), None)
        if stray is not None:
            return stray
        managers += [person for person in people if person not in managers]
    else:
        managers = [person for person in managers if person not in people]
        if not managers:
            return t._("At least one manager must remain.")
    tenant.manager_ids = managers
    return None


CHANGES: dict[str, Callable[[Scope, Tenant, str], str | None]] = {
    **{name: _number(name) for name in NUMBERS},
    "severity": _severity,
    "timezone": _timezone,
    "language": _language,
    "managers": _managers,
    "hourly-cost": change_hourly_cost,
    "summary-channels": _summary_channels,
    "summary-day": _summary_day,
    "summary-time": _summary_time,
    **LISTENING_CHANGES,
}
