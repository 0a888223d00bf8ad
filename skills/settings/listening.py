"""The listening settings (``/client settings <name> <value>``): business hours and days, the
people whose mention counts as going over support's head, ghosting, retention, and the abuse
detector's extra terms and allow-list (docs/listening.md)."""

from collections.abc import Callable

from skills.core.scope import Scope
from skills.replies import Fact
from skills.text.i18n import Translator
from skills.text.mentions import people_ids
from skills.text.times import parse_time_of_day, parse_weekday
from storage.models import Tenant

MAX_LISTED = 200
PHRASE_LIMIT = 100


def listening_facts(t: Translator, tenant: Tenant, weekday: Callable[[int], str]) -> list[Fact]:
    """The listening settings as facts for ``/client settings``."""
    days = t.list_of(weekday(day) for day in tenant.business_days)
    return [
        Fact(
            t._("Business hours"), t._("{hours} on {days}", hours=tenant.business_hours, days=days)
        ),
        Fact(
            t._("Mentions that go over support's head"),
            t.list_of(tenant.escalation_people) or "—",
        ),
        Fact(
            t._("Business days before a question counts as unanswered"),
            t.number(tenant.ghosting_days),
        ),
        Fact(t._("Days contact counters are kept"), t.number(tenant.signal_retention_days)),
        Fact(t._("Extra abusive terms"), _quoted(t, tenant.abuse_extra_terms)),
        Fact(t._("Phrases never flagged"), _quoted(t, tenant.abuse_allowed)),
    ]


def _quoted(t: Translator, phrases: list[str]) -> str:
    # Quoted: a phrase may hold the list's own separator ("、", ", ", "and").
    return t.list_of(t.quote(phrase) for phrase in phrases) or "—"


def business_hours(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """``09:00-18:00``."""
    start, _dash, end = value.partition("-")
    opening, closing = parse_time_of_day(start), parse_time_of_day(end)
    if opening is None or closing is None or opening >= closing:
        return scope.t._("Write business hours as opening-closing, like 09:00-18:00.")
    tenant.business_hours = f"{opening}-{closing}"
    return None


def business_days(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """Days of the week, by name or number (1 is Monday)."""
    days = [parse_weekday(word, scope.t) for word in value.replace(",", " ").split()]
    if not days or None in days:
        return scope.t._("Write the business days by name or number, like 1 2 3 4 5.")
    tenant.business_days = sorted({day for day in days if day is not None})
    return None


def escalation_people(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """``add``/``remove`` people whose mention by a client counts as going over support."""
    verb, _space, rest = value.partition(" ")
    people = people_ids(rest)
    if verb not in {"add", "remove"} or not people:
        return scope.t._(
            "Write: escalation-people add <user> … or escalation-people remove <user> …"
        )
    tenant.escalation_people = _changed(tenant.escalation_people, verb, people)
    return None


def abuse_terms(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """``add``/``remove`` one term the detector treats as an insult."""
    return _phrase(scope, tenant, value, "abuse_extra_terms", "abuse-terms")


def abuse_allowed(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """``add``/``remove`` one phrase the detector never flags."""
    return _phrase(scope, tenant, value, "abuse_allowed", "abuse-allow")


def _phrase(scope: Scope, tenant: Tenant, value: str, field: str, name: str) -> str | None:
    verb, _space, phrase = value.partition(" ")
    phrase = phrase.strip()
    if verb not in {"add", "remove"} or not phrase or len(phrase) > PHRASE_LIMIT:
        return scope.t._("Write: {name} add <phrase> or {name} remove <phrase>", name=name)
    setattr(tenant, field, _changed(getattr(tenant, field), verb, [phrase]))
    return None


def _changed(current: list[str], verb: str, items: list[str]) -> list[str]:
    if verb == "add":
        return [*current, *[item for item in items if item not in current]][:MAX_LISTED]
    return [item for item in current if item not in items]


LISTENING_NUMBERS: dict[str, tuple[str, int, int]] = {
    "ghosting-days": ("ghosting_days", 1, 30),
    "signal-retention": ("signal_retention_days", 7, 3650),
}
LISTENING_CHANGES: dict[str, Callable[[Scope, Tenant, str], str | None]] = {
    "business-hours": business_hours,
    "business-days": business_days,
    "escalation-people": escalation_people,
    "abuse-terms": abuse_terms,
    "abuse-allow": abuse_allowed,
}
