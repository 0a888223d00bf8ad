"""A client's record: its fields, the words that name them, and the one check of each value.

Chat (``/client add`` and ``/client edit``) and the CSV import both read a field's value with
``check_fields``, find what another client has already with ``conflicts``, write it with
``apply_changes`` and record it with ``record_changes``, so a rule is written once. The keys
are a contract (``billing-id``, in chat; ``billing_id`` as a CSV column); their labels are
translated.
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import Locale

from skills.core.people import not_a_person
from skills.core.scope import Scope
from skills.escalation.lifecycle import client_changed
from skills.integrations.unmatched import release_held_for
from skills.replies import Fact
from skills.settings.hourly_cost import CENTS, currency_code, unknown_currency
from skills.text.i18n import Translator
from skills.text.limits import CLIENT_NAME_LIMIT
from skills.text.mentions import mention, person_id
from skills.text.names import normalize
from skills.text.numbers import parse_amount
from storage.models import Client

# The keys, in the order forms and the CSV list them.
RECORD_KEYS = (
    "aliases", "segment", "tier", "revenue", "currency", "owner", "billing-id", "helpdesk-id",
    "notes",
)  # fmt: skip
# Each key's attribute of ``storage.models.Client``.
ATTRIBUTES = {
    "aliases": "aliases",
    "segment": "segment",
    "tier": "tier",
    "revenue": "monthly_revenue",
    "currency": "currency",
    "owner": "owner_id",
    "billing-id": "billing_id",
    "helpdesk-id": "helpdesk_id",
    "notes": "notes",
}
# The key ``/client edit`` renames a client with.
NAME_KEY = "name"
SEGMENTS = ("ideal", "adjacent", "outside")
# The columns' sizes (storage.models.Client).
TIER_LIMIT = 50
EXTERNAL_ID_LIMIT = 200
NOTES_LIMIT = 2000
MAX_ALIASES = 20
# Numeric(14, 2): twelve digits before the point.
MAX_REVENUE = Decimal("999999999999.99")
# What the managers' copies of an open escalation show of the record.
SHOWN_ON_ESCALATIONS = frozenset({"owner_id", "name"})
# The record's fields that name an account in another system.
IDS_OF_ACCOUNTS = frozenset({"billing_id", "helpdesk_id"})

# How ``conflicts`` finds the client that has a value: ``(attribute, value)`` with the
# attribute ``billing_id``, ``helpdesk_id`` or ``name`` (a name or an other name, as
# ``/client`` looks names up).
Lookup = Callable[[str, str], Awaitable[Client | None]]


@dataclass(frozen=True)
class CheckedFields:
    """Values read from text: each given key's new value for its attribute (None or an empty
    list clears it), and what is wrong with the keys that could not be read."""

    changes: Mapping[str, Any]
    errors: Mapping[str, str]


def key_of(word: str) -> str:
    """The key a person or a CSV column names: ``billing_id`` and ``Billing-ID`` are
    ``billing-id``."""
    return word.strip().lower().replace("_", "-")


def field_label(t: Translator, key: str) -> str:
    """A key's label in the person's language."""
    labels = {
        NAME_KEY: t._("Name"),
        "aliases": t._("Other names"),
        "segment": t._("Segment"),
        "tier": t._("Tier"),
        "revenue": t._("Monthly revenue"),
        "currency": t._("Currency"),
        "owner": t._("Account owner"),
        "billing-id": t._("Billing system id"),
        "helpdesk-id": t._("Help desk id"),
        "notes": t._("Notes"),
    }
    return labels[key]


def segment_label(t: Translator, segment: str) -> str:
    """A segment's label in the person's language."""
    labels = {
        "ideal": t._("Ideal customer"),
        "adjacent": t._("Close to the ideal"),
        "outside": t._("Outside the profile"),
    }
    return labels.get(segment, segment)


def check_fields(
    t: Translator, platform: str, given: Mapping[str, str], *, locale: Locale | None = None
) -> CheckedFields:
    """Each given ``key → text`` read into its attribute's value; an empty text clears the
    field. Unknown keys are errors (under their own name), as are values that do not fit."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for raw_key, text in given.items():
        key = key_of(raw_key)
        if not key:
            # A word without "=": the parser keeps it as a value with no key.
            errors[text] = t._(
                "{given} is not field=value. Write each field as field=value, like tier=gold.",
                given=t.quote(text),
            )
            continue
        if key not in ATTRIBUTES:
            errors[raw_key] = unknown_key(t, raw_key)
            continue
        value = text.strip()
        if not value:
            changes[ATTRIBUTES[key]] = [] if key == "aliases" else None
            continue
        checked = _check(t, platform, key, value, locale or t.locale)
        if isinstance(checked, _Wrong):
            errors[key] = checked.message
        else:
            changes[ATTRIBUTES[key]] = checked
    return CheckedFields(changes, errors)


def unknown_key(t: Translator, key: str) -> str:
    """What is wrong with a field nobody has."""
    return t._(
        "{key} is not a field of a client. The fields are {keys}.",
        key=t.quote(key),
        keys=", ".join(RECORD_KEYS),
    )


@dataclass(frozen=True)
class RecordChange:
    """A client created or changed, with each field's before and after (``apply_changes``)."""

    client: Client
    changes: Mapping[str, Mapping[str, Any]]
    created: bool = False


async def conflicts(
    t: Translator,
    client: Client,
    changes: Mapping[str, Any],
    find: Lookup,
    *,
    new_name: str | None = None,
) -> dict[str, str]:
    """What is wrong, by attribute (``billing_id``, ``helpdesk_id``, ``name``, ``aliases``),
    with the ids, the new name and the other names in ``changes`` that another client has
    already; ``find`` looks them up (the database in chat, the file's clients in an import)."""
    errors: dict[str, str] = {}
    for attribute in ("billing_id", "helpdesk_id"):
        value = changes.get(attribute)
        other = await find(attribute, value) if value else None
        if _another(other, client):
            assert other is not None
            quoted = t.quote(other.name)
            errors[attribute] = (
                t._("{client} has this billing id already.", client=quoted)
                if attribute == "billing_id"
                else t._("{client} has this help desk id already.", client=quoted)
            )
    other = await find(NAME_KEY, new_name) if new_name else None
    if _another(other, client):
        assert other is not None
        errors[NAME_KEY] = t._("{client} has that name already.", client=t.quote(other.name))
    for alias in changes.get("aliases") or []:
        other = await find(NAME_KEY, alias)
        if _another(other, client):
            assert other is not None
            errors["aliases"] = t._(
                "{alias} is already a name of {client}.",
                alias=t.quote(alias),
                client=t.quote(other.name),
            )
            break
    return errors


async def record_changes(scope: Scope, made: Sequence[RecordChange], **detail: Any) -> None:
    """Audit each client created or changed (``client.created`` with its name, or
    ``client.edited``, with each field's before and after, and ``detail``), refresh the
    managers' copies of an open escalation whose client's owner or name changed, and give a
    client that got a billing or help desk id what was held for that account."""
    await scope.audit_each(
        [
            (
                "client.created" if change.created else "client.edited",
                ("client", str(change.client.id)),
                {"name": change.client.name, "changes": change.changes, **detail}
                if change.created
                else {"changes": change.changes, **detail},
            )
            for change in made
        ]
    )
    for change in made:
        if not change.created and SHOWN_ON_ESCALATIONS & change.changes.keys():
            event = f"record:{scope.now.isoformat()}"
            await client_changed(scope, change.client.id or 0, event)
    # What Stripe or Zendesk sent about an account before any client had its id is the
    # client's from the moment it has the id (docs/matching.md).
    await release_held_for(
        scope, [change.client for change in made if IDS_OF_ACCOUNTS & change.changes.keys()]
    )


def _another(other: Client | None, client: Client) -> bool:
    """Whether ``other`` is a client other than ``client`` (new ones have no id yet)."""
    return other is not None and other is not client and (other.id is None or other.id != client.id)


def revenue_without_currency(t: Translator, client: Client) -> str | None:
    """What is wrong when the record has a revenue but no currency: an amount means nothing
    without its currency."""
    if client.monthly_revenue is not None and client.currency is None:
        return t._("Add the revenue's currency, as its three-letter code, like EUR.")
    return None


def apply_changes(client: Client, changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Write ``changes`` into ``client``; what changed, as ``{attribute: {before, after}}``
    ready for the audit trail (amounts as text)."""
    changed: dict[str, dict[str, Any]] = {}
    for attribute, value in changes.items():
        before = getattr(client, attribute)
        if before == value:
            continue
        setattr(client, attribute, value)
        changed[attribute] = {"before": _plain(before), "after": _plain(value)}
    return changed


def rename(client: Client, name: str) -> dict[str, dict[str, Any]]:
    """Give the client a new name and its lookup key; the change, as ``apply_changes``."""
    return apply_changes(client, {"name": name.strip(), "lookup_key": normalize(name)})


def record_data(client: Client) -> dict[str, Any]:
    """The record's fields as JSON-ready data, by their keys."""
    return {key: _plain(getattr(client, attribute)) for key, attribute in ATTRIBUTES.items()}


def record_text(t: Translator, client: Client, key: str) -> str:
    """A field's value as a person writes it (the form's prefilled value), "" when unset."""
    value = getattr(client, ATTRIBUTES[key])
    if value is None:
        return ""
    if key == "aliases":
        return ", ".join(value)
    if key == "revenue":
        return t.number(value)
    return str(value)


def shown_value(t: Translator, client: Client, key: str) -> str | None:
    """A field's value as the card shows it, or None when unset."""
    value = getattr(client, ATTRIBUTES[key])
    if value is None or value == []:
        return None
    if key == "segment":
        return segment_label(t, value)
    if key == "revenue":
        return t.money(value, client.currency) if client.currency else t.number(value)
    if key == "owner":
        return mention(value)
    return record_text(t, client, key)


def record_facts(t: Translator, client: Client) -> list[Fact]:
    """The record's fields that are set, as the card lists them (the notes last)."""
    facts = []
    for key in RECORD_KEYS:
        value = shown_value(t, client, key)
        if value is not None:
            facts.append(Fact(field_label(t, key), value))
    return facts


def alias_keys(aliases: Iterable[str]) -> set[str]:
    """The lookup keys of a client's other names."""
    return {normalize(alias) for alias in aliases}


@dataclass(frozen=True)
class _Wrong:
    message: str


def _check(t: Translator, platform: str, key: str, value: str, locale: Locale) -> Any:
    if key == "aliases":
        return _aliases(t, value)
    if key == "segment":
        segment = value.lower()
        if segment in SEGMENTS:
            return segment
        by_label = {segment_label(t, item).casefold(): item for item in SEGMENTS}
        found = by_label.get(value.casefold())
        return found or _Wrong(
            t._("The segment is one of {segments}.", segments=t.one_of(SEGMENTS))
        )
    if key == "revenue":
        amount = parse_amount(value, locale)
        if amount is None or not Decimal(0) <= amount <= MAX_REVENUE:
            return _Wrong(
                t._(
                    "Write the monthly revenue as an amount from 0 to {highest}, like {example}.",
                    highest=t.number(MAX_REVENUE),
                    example=t.number(Decimal("1250.75")),
                )
            )
        return amount.quantize(CENTS)
    if key == "currency":
        return currency_code(value) or _Wrong(unknown_currency(t, value))
    if key == "owner":
        # The rule ``/client owner`` follows: an owner nobody can be could never dispute.
        owner = person_id(value)
        if len(owner) > EXTERNAL_ID_LIMIT:
            return _Wrong(t._("Name one person."))
        wrong = not_a_person(t, platform, owner)
        return owner if wrong is None else _Wrong(wrong)
    limits = {"tier": TIER_LIMIT, "billing-id": EXTERNAL_ID_LIMIT, "helpdesk-id": EXTERNAL_ID_LIMIT}
    limit = limits.get(key, NOTES_LIMIT)
    if len(value) > limit:
        return _Wrong(
            t.n_(
                "Write at most {count} character.",
                "Write at most {count} characters.",
                limit,
            )
        )
    return value


def _aliases(t: Translator, value: str) -> list[str] | _Wrong:
    aliases: list[str] = []
    for alias in (part.strip() for part in value.split(",")):
        if alias and normalize(alias) not in alias_keys(aliases):
            aliases.append(alias)
    if len(aliases) > MAX_ALIASES:
        return _Wrong(
            t.n_(
                "A client has at most {count} other name.",
                "A client has at most {count} other names.",
                MAX_ALIASES,
            )
        )
    for alias in aliases:
        if len(alias) > CLIENT_NAME_LIMIT or not normalize(alias):
            return _Wrong(
                t._(
                    "{alias} cannot be a name: at most {count} characters, with a letter or digit.",
                    alias=t.quote(alias),
                    count=CLIENT_NAME_LIMIT,
                )
            )
    return aliases


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return list(value)
    return value
