"""Incident categories: the data file, and finding one by its key or its label in any language."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from skills.reports.category_text import CATEGORY_TEXT
from skills.strikes.policy import Severity
from skills.text.i18n import SUPPORTED_LANGUAGES, Translator, translator
from skills.text.names import normalize

CATEGORIES_FILE = Path(__file__).parents[1] / "data" / "categories.toml"


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
