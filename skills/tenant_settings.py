"""The tenant's policy and managers (``/client settings [name value]``)."""

from collections.abc import Callable
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import list_currencies

from skills.access import require_manager
from skills.categories import find_category
from skills.commands import ChangeSetting, ShowSettings
from skills.i18n import SUPPORTED_LANGUAGES, supported_language
from skills.numbers import parse_amount, whole_number
from skills.policy import Severity
from skills.replies import Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.scope import Scope
from skills.strikes import reapply_everywhere
from storage.models import Tenant

_NUMBERS: dict[str, tuple[str, int, int]] = {
    # name: (tenant field, lowest, highest)
    "threshold": ("threshold", 1, 10),
    "window": ("window_days", 1, 3650),
    "reminder": ("reminder_days", 1, 90),
    "non-payment-days": ("non_payment_red_after_days", 1, 365),
}
SETTING_NAMES = (
    *_NUMBERS,
    "severity",
    "timezone",
    "language",
    "managers",
    "hourly-cost",
    "currency",
)
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
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Settings")),
            Facts(facts),
            Paragraph(
                t._(
                    "Managers change a setting with /client settings <name> <value>. "
                    "Names: {names}.",
                    names=", ".join(SETTING_NAMES),
                )
            ),
        ),
        data={"settings": settings_data(tenant)},
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
    people = [person.lstrip("@") for person in rest.split()]
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
}
MAX_HOURLY_COST = Decimal(100_000)
