"""The cost of a support hour and its currency, what the assessment's value ratio divides by.

Both are unset until a manager sets them, with ``/client settings hourly-cost <amount>
<currency>`` or when the assessment asks (docs/assessment.md): a figure computed from a value
nobody entered would look like knowledge. They are one setting because an amount means nothing
without its currency, and a currency changed alone would silently turn 60 dollars into 60 yen.
"""

from decimal import Decimal
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.numbers import get_currency_name

from skills.core.scope import Scope
from skills.text.i18n import Translator
from skills.text.numbers import parse_amount
from storage.models import Tenant

MAX_HOURLY_COST = Decimal(100_000)
# The column's scale: an amount is kept to the cent.
CENTS = Decimal("0.01")
EXAMPLE_COST = Decimal(60)


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes of the currencies in use: legal tender in some territory with no end
    date, in Babel's copy of CLDR. Babel's ``list_currencies`` also lists withdrawn currencies
    (DEM), funds (USN), metals (XAU) and test codes (XTS), which nobody pays support in."""
    return frozenset(
        code
        for periods in get_global("territory_currencies").values()
        for code, _start, end, tender in periods
        if end is None and tender
    )


def currency_code(text: str) -> str | None:
    """The currency ``text`` names by its code (any case), or None when it is none in use."""
    code = text.strip().upper()
    return code if code in currencies() else None


def cost_amount(text: str, locale: Locale) -> Decimal | None:
    """An hourly cost written the person's way or plainly, kept to the cent; None unless it is
    more than 0 (a free hour leaves nothing to divide by) and at most ``MAX_HOURLY_COST``."""
    amount = parse_amount(text, locale)
    if amount is None:
        return None
    cents = amount.quantize(CENTS)
    return cents if Decimal(0) < cents <= MAX_HOURLY_COST else None


def unknown_currency(t: Translator, given: str) -> str:
    """What is wrong with a currency that is none in use."""
    return t._(
        "{given} is not a currency code. Write its three-letter ISO 4217 code, like EUR, USD "
        "or JPY.",
        given=t.quote(given.strip()),
    )


def is_set(tenant: Tenant) -> bool:
    """Whether the workspace has both an hourly cost and its currency."""
    return tenant.hourly_cost is not None and tenant.currency is not None


def how_to_set(t: Translator) -> str:
    """The command that sets the cost, with an example."""
    return t._(
        "/client settings hourly-cost <amount> <currency>, like /client settings hourly-cost "
        "{example} EUR",
        example=t.number(EXAMPLE_COST),
    )


def change_hourly_cost(scope: Scope, tenant: Tenant, value: str) -> str | None:
    """``hourly-cost <amount> <currency>``; the currency may be left out once one is set."""
    t = scope.t
    words = value.split()
    codes = [word for word in words if word.isalpha()]
    amount = cost_amount(" ".join(word for word in words if not word.isalpha()), t.locale)
    if amount is None:
        # Shown the person's way: cost_amount reads "100.000" in Spanish as it is shown.
        return t._(
            "Write the cost of a support hour as an amount more than 0 and up to {highest}, "
            "then its currency: {example}.",
            highest=t.number(MAX_HOURLY_COST),
            example=how_to_set(t),
        )
    if not codes and tenant.currency is None:
        return t._(
            "Add the currency after the amount, as its three-letter code: "
            "/client settings hourly-cost {amount} EUR",
            amount=t.number(amount),
        )
    currency = tenant.currency if not codes else currency_code(" ".join(codes))
    if currency is None:
        return unknown_currency(t, " ".join(codes))
    tenant.hourly_cost, tenant.currency = amount, currency
    return None


def hourly_cost_text(t: Translator, tenant: Tenant) -> str:
    """The setting as ``/client settings`` shows it: the amount in its currency, formatted for
    the locale, and the currency's name; or what is missing and how to set it."""
    if tenant.hourly_cost is not None and tenant.currency is not None:
        return t._(
            "{amount} ({currency})",
            amount=t.money(tenant.hourly_cost, tenant.currency),
            currency=get_currency_name(tenant.currency, locale=t.locale),
        )
    if tenant.hourly_cost is None and tenant.currency is None:
        return t._("not set (a manager sets it with {command})", command=how_to_set(t))
    given = (
        t.number(tenant.hourly_cost) if tenant.hourly_cost is not None else tenant.currency or ""
    )
    return t._(
        "incomplete: only {given} (a manager sets both with {command})",
        given=given,
        command=how_to_set(t),
    )
