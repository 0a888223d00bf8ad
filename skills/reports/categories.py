"""Incident categories: the data file, their names and meanings (catalog source text), and
finding one by its key or its label in any language."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from skills.strikes.policy import Severity
from skills.text.i18n import N_, SUPPORTED_LANGUAGES, Translator, translator
from skills.text.names import normalize

CATEGORIES_FILE = Path(__file__).parents[1] / "data" / "categories.toml"
# What each category is called and means, in the catalogs' source language.
CATEGORY_TEXT: Final[dict[str, tuple[str, str]]] = {
    "abuse": (
        N_("Abuse of staff"),
        N_("Insults, shouting, personal attacks or humiliating a team member."),
    ),
    "threat": (
        N_("Threat"),
        N_("Threatens harm, damage or legal action to intimidate the team."),
    ),
    "dishonesty": (
        N_("Dishonesty"),
        N_("Claims promises nobody made, invents stories, or hid real needs or budget."),
    ),
    "public_attack": (
        N_("Public attack"),
        N_("Unfair public complaints, reviews or posts that damage our reputation."),
    ),
    "bypassing_process": (
        N_("Goes around support"),
        N_("Skips the support process and goes straight to managers or executives."),
    ),
    "non_payment": (
        N_("Unpaid invoices"),
        N_("Invoices left unpaid or paid very late."),
    ),
    "underpaying": (
        N_("Haggling over price"),
        N_("Disputes the price of delivered work or keeps squeezing for extras."),
    ),
    "scope_creep": (
        N_("Scope creep"),
        N_("Asks for more than was agreed and will not take no for an answer."),
    ),
    "attention_hog": (
        N_("Takes far more time than paid for"),
        N_("Uses much more of the team's time than the account pays for."),
    ),
    "moving_goalposts": (
        N_("Moving goalposts"),
        N_("Requirements stay vague or keep changing; unhappy even when we deliver."),
    ),
    "unresponsive": (
        N_("Goes silent"),
        N_("Ignores calls and e-mail, misses meetings or onboarding."),
    ),
    "ignores_advice": (
        N_("Ignores our advice"),
        N_("Wants an order-taker, not a partner: dictates and dismisses our expertise."),
    ),
    "repeat_issue": (
        N_("Same problem again"),
        N_("The same complaint or the same mistake, once more."),
    ),
    "expectation_mismatch": (
        N_("Wants what we don't offer"),
        N_("Expects a product or service we do not provide."),
    ),
}


@dataclass(frozen=True)
class Category:
    """One incident category with its default severity."""

    key: str
    area: str
    severity: Severity
    red_when_overdue: bool

    def label(self, t: Translator) -> str:
        """The category's name in the translator's language."""
        return t._(CATEGORY_TEXT[self.key][0])

    def description(self, t: Translator) -> str:
        """One line on what the category covers, in the translator's language."""
        return t._(CATEGORY_TEXT[self.key][1])


@cache
def categories() -> tuple[Category, ...]:
    """Every category, in the data file's order."""
    with CATEGORIES_FILE.open("rb") as data:
        table = tomllib.load(data)["categories"]
    return tuple(
        Category(
            key=key,
            area=entry["area"],
            severity=Severity(entry["severity"]),
            red_when_overdue=bool(entry.get("red_when_overdue", False)),
        )
        for key, entry in table.items()
    )


def category(key: str) -> Category:
    """The category with this key (KeyError for an unknown key)."""
    found = _by_name().get(key)
    if found is None or found.key != key:
        raise KeyError(key)
    return found


def find_category(text: str) -> Category | None:
    """The category named by ``text``: its key, or its label in any supported language."""
    return _by_name().get(normalize(text))


@cache
def _by_name() -> dict[str, Category]:
    names: dict[str, Category] = {}
    for entry in categories():
        names[entry.key] = entry
        names[normalize(entry.key)] = entry
        for language in SUPPORTED_LANGUAGES:
            names.setdefault(normalize(entry.label(translator(language))), entry)
    return names


# Reports about the team's safety: a ping offers to move the staff member off the account, and
# the weekly summary counts them on their own.
STAFF_SAFETY = frozenset({"abuse", "threat"})
