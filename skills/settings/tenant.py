"""The tenant's policy and managers (``/client settings [name value]``)."""

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_day_names
from babel.numbers import list_currencies

from skills.commands import ChangeSetting, ShowSettings
from skills.core.access import is_manager, require_manager
from skills.core.scope import Scope
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    Fact,
    Facts,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.reports.categories import find_category
from skills.settings.listening import LISTENING_CHANGES, LISTENING_NUMBERS, listening_facts
from skills.strikes.apply import count_at_threshold, reapply_everywhere
from skills.strikes.policy import Severity
from skills.summary.schedule import parse_time_of_day, parse_weekday
from skills.text.i18n import SUPPORTED_LANGUAGES, Translator, supported_language
from skills.text.limits import NAME_LIMIT
from skills.text.mentions import channel_ids, people_ids
from skills.text.numbers import parse_amount, whole_number
from storage.models import Tenant

_NUMBERS: dict[str, tuple[str, int, int]] = {
    # name: (tenant field, lowest, highest)
    "threshold": ("threshold", 1, 10),
    "window": ("window_days", 1, 3650),
    "reminder": ("reminder_days", 1, 90),
    "non-payment-days": ("non_payment_red_after_days", 1, 365),
    **LISTENING_NUMBERS,
}
SETTING_NAMES = (
    *_NUMBERS,
    "severity",
    "timezone",
    "language",
    "managers",
    "hourly-cost",
    "currency",
    "summary-channels",
    "summary-day",
    "summary-time",
    *LISTENING_CHANGES,
)
MAX_SUMMARY_CHANNELS = 10
PARKED_SHOWN = 3
# Settings that change which clients are over the threshold today, not only future reports.
_REAPPLIED = {"threshold", "window"}


async def show_settings(scope: Scope, _command: ShowSettings) -> Reply:
    """The settings as they are, for anyone on the staff to read."""
    t = scope.t
    tenant = scope.tenant
    managers = ", ".join(tenant.manager_ids) or t._("the workspace's admins")
    overrides = ", ".join(f"{key}={value}" for key, value in tenant.severity_overrides.items())
    facts = (
        Fact(t._("Managers"), managers),
        Fact(t._("Strikes to cross the threshold"), t.number(tenant.threshold)),
        Fact(t._("Days a strike stays active"), t.number(tenant.window_days)),
        Fact(t._("Days between reminders"), t.number(tenant.reminder_days)),
        Fact(t._("Days overdue before unpaid is red"), t.number(tenant.non_payment_red_after_days)),
        Fact(t._("Severity overrides"), overrides or "—"),
        Fact(t._("Cost of a support hour"), t.money(tenant.hourly_cost, tenant.currency)),
        Fact(t._("Timezone"), tenant.timezone),
        Fact(t._("Language"), tenant.language),
        Fact(
            t._("Weekly summary"),
            t._(
                "{channels}, {day} at {time}",
                channels=", ".join(tenant.summary_channels),
                day=weekday_name(t, tenant.summary_weekday),
                time=tenant.summary_time,
            )
            if tenant.summary_channels
            else t._("not posted (choose channels with summary-channels)"),
        ),
        *listening_facts(t, tenant, lambda day: weekday_name(t, day)),
    )
    # Recipients and platform errors are for managers, who can act on them.
    parked = (
        await scope.uow.outbox.parked(tenant.id, limit=PARKED_SHOWN)
        if is_manager(tenant, scope.actor)
        else []
    )
    undelivered = (
        [
            Paragraph(
                t._("Messages Yellowcard could not deliver (see docs/operations.md):")
                + "\n"
                + "\n".join(
                    f"• {message.kind} → {message.recipient_id}: {message.last_error or ''}"
                    for message in parked
                )
            )
        ]
        if parked
        else []
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Settings")),
            Facts(facts),
            *undelivered,
            Paragraph(
                t._(
                    "Managers change a setting with /client settings <name> <value>. "
                    "Names: {names}.",
                    names=", ".join(SETTING_NAMES),
                )
            ),
        ),
        data={"settings": settings_data(tenant), "undelivered": [message.id for message in parked]},
    )


def settings_data(tenant: Tenant) -> dict[str, object]:
    """The machine-readable settings."""
    return {
        "managers": list(tenant.manager_ids),
        "threshold": tenant.threshold,
        "window_days": tenant.window_days,
        "reminder_days": tenant.reminder_days,
        "non_payment_red_after_days": tenant.non_payment_red_after_days,
        "severity_overrides": dict(tenant.severity_overrides),
        "timezone": tenant.timezone,
        "language": tenant.language,
        "hourly_cost": str(tenant.hourly_cost),
        "currency": tenant.currency,
        "summary_channels": list(tenant.summary_channels),
        "summary_weekday": tenant.summary_weekday,
        "summary_time": tenant.summary_time,
        "business_hours": tenant.business_hours,
        "business_days": list(tenant.business_days),
        "escalation_people": list(tenant.escalation_people),
        "ghosting_days": tenant.ghosting_days,
        "signal_retention_days": tenant.signal_retention_days,
        "abuse_extra_terms": list(tenant.abuse_extra_terms),
        "abuse_allowed": list(tenant.abuse_allowed),
    }


async def change_setting(scope: Scope, command: ChangeSetting) -> Reply:
    """Change one setting after checking the value; audited with the old and new values."""
    refused = await require_manager(scope, "settings.change", ("setting", command.name))
    if refused:
        return refused
    tenant = await scope.uow.tenants.lock(scope.tenant.id)
    assert tenant is not None, "the scope's tenant exists"
    scope.tenant = tenant
    before = settings_data(tenant)
    before_count = await count_at_threshold(scope) if command.name in _REAPPLIED else 0
    change = _CHANGES.get(command.name)
    problem = (
        change(scope, tenant, command.value.strip())
        if change
        else scope.t._(
            "There is no setting “{name}”. Settings: {names}.",
            name=command.name,
            names=", ".join(SETTING_NAMES),
        )
    )
    if problem:
        return Reply(
            kind=ReplyKind.ERROR,
            blocks=(Paragraph(problem),),
            data={"error": "invalid_setting", "setting": command.name},
        )
    if command.name in _REAPPLIED and not command.confirmed:
        # Nothing is saved: leaving without a commit rolls the change back.
        return await _preview(scope, command, before_count)
    await scope.uow.tenants.save(tenant)
    after = settings_data(tenant)
    await scope.audit(
        "settings.changed", subject=("setting", command.name), before=before, after=after
    )
    changed = await reapply_everywhere(scope) if command.name in _REAPPLIED else []
    await scope.uow.commit()
    shown = await show_settings(scope, ShowSettings())
    if command.name not in _REAPPLIED:
        return shown
    note = Paragraph(
        scope.t.n_(
            "{count} client changed state under the new setting.",
            "{count} clients changed state under the new setting.",
            len(changed),
        )
    )
    data = {**shown.data, "changed_clients": [outcome.client_id for outcome in changed]}
    return Reply(kind=shown.kind, blocks=(*shown.blocks, note), data=data)


async def _preview(scope: Scope, command: ChangeSetting, before_count: int) -> Reply:
    """What the new threshold or window would do, with the button that saves it."""
    t = scope.t
    after_count = await count_at_threshold(scope)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Before you save {name} {value}", name=command.name, value=command.value)),
            Paragraph(
                t.n_(
                    "Under the new setting {count} client would be over the threshold "
                    "(now: {now}).",
                    "Under the new setting {count} clients would be over the threshold "
                    "(now: {now}).",
                    after_count,
                    now=before_count,
                )
            ),
            Actions(
                (
                    Button(
                        t._("Save the change"),
                        dataclasses.replace(command, confirmed=True),
                        ButtonStyle.PRIMARY,
                    ),
                )
            ),
            Paragraph(
                t._(
                    "Nothing is saved yet. Without buttons, add “confirm”: "
                    "/client settings {name} {value} confirm",
                    name=command.name,
                    value=command.value,
                )
            ),
        ),
        data={
            "preview": True,
            "setting": command.name,
            "value": command.value,
            "at_threshold_now": before_count,
            "at_threshold_after": after_count,
        },
    )


def weekday_name(t: Translator, weekday: int) -> str:
    """Monday (0) to Sunday (6), in the translator's language."""
    return str(get_day_names("wide", locale=t.locale)[weekday]).capitalize()


def _summary_channels(scope: Scope, tenant: Tenant, value: str) -> str | None:
    channels = [] if value.lower() in {"none", "off"} else channel_ids(value)
    if value.lower() not in {"none", "off"} and not channels:
        return scope.t._("Write: summary-channels #channel … (or none to stop the summary).")
    if len(channels) > MAX_SUMMARY_CHANNELS or any(len(item) > NAME_LIMIT for item in channels):
        return scope.t._(
            "Choose at most {count} channels for the summary.", count=MAX_SUMMARY_CHANNELS
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
    field, lowest, highest = _NUMBERS[name]

    def change(scope: Scope, tenant: Tenant, value: str) -> str | None:
        number = whole_number(value, lowest=lowest, highest=highest)
        if number is None:
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
        return scope.t._("“{value}” is not a timezone; use a name like Europe/Madrid.", value=value)
    tenant.timezone = value
    return None


def _language(scope: Scope, tenant: Tenant, value: str) -> str | None:
    language = supported_language(value)
    if language is None:
        return scope.t._(
            "Yellowcard speaks: {languages}.", languages=", ".join(SUPPORTED_LANGUAGES)
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
        managers += [person for person in people if person not in managers]
    else:
        managers = [person for person in managers if person not in people]
        if not managers:
            return t._("At least one manager must remain.")
    tenant.manager_ids = managers
    return None


def _hourly_cost(scope: Scope, tenant: Tenant, value: str) -> str | None:
    amount = parse_amount(value, scope.t.locale)
    if amount is None or not Decimal(0) <= amount <= MAX_HOURLY_COST:
        return scope.t._(
            "The cost of a support hour is an amount from 0 to {highest}.",
            highest=MAX_HOURLY_COST,
        )
    tenant.hourly_cost = amount.quantize(Decimal("0.01"))
    return None


def _currency(scope: Scope, tenant: Tenant, value: str) -> str | None:
    code = value.strip().upper()
    if code not in list_currencies():
        return scope.t._("Write a currency as its three-letter code, like EUR or JPY.")
    tenant.currency = code
    return None


_CHANGES: dict[str, Callable[[Scope, Tenant, str], str | None]] = {
    **{name: _number(name) for name in _NUMBERS},
    "severity": _severity,
    "timezone": _timezone,
    "language": _language,
    "managers": _managers,
    "hourly-cost": _hourly_cost,
    "currency": _currency,
    "summary-channels": _summary_channels,
    "summary-day": _summary_day,
    "summary-time": _summary_time,
    **LISTENING_CHANGES,
}
MAX_HOURLY_COST = Decimal(100_000)
