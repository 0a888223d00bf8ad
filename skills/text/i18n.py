"""Message catalogs (gettext ``.po`` files read with Babel) and locale-aware formatting.

English text is the message id; ``skills/locale/<lang>/LC_MESSAGES/messages.po`` holds the
translations. Placeholders use ``str.format`` names: ``{client}``. The conventions (plurals,
contexts, lists, quotation marks, dates) are in docs/languages.md.
"""

import gettext
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LOCALE_DIR: Final = Path(__file__).parents[1] / "locale"
SUPPORTED_LANGUAGES: Final = ("en", "es", "ja", "zh-Hant")
DEFAULT_LANGUAGE: Final = "en"
_CATALOG_NAMES: Final = {"es": "es", "ja": "ja", "zh-Hant": "zh_Hant"}
# CLDR's primary quotation marks (common/main/<lang>.xml, delimiters/quotationStart and
# quotationEnd, as of CLDR 47): Babel leaves CLDR's delimiters out of its locale data.
_QUOTATION_MARKS: Final = {
    "en": ("“", "”"),
    "es": ("“", "”"),
    "ja": ("「", "」"),
    "zh-Hant": ("「", "」"),
}


def N_(message: str) -> str:  # noqa: N802  (gettext's conventional name for "mark only")
    """Mark a string for the catalogs without translating it yet."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802  (as N_, with a context)
    """Mark a string and its context for the catalogs without translating it yet; the pair is
    what ``Translator.p_`` takes (``t.p_(*pair)``)."""
    return context, message


def supported_language(tag: str | None) -> str | None:
    """Map a platform locale tag (``es-MX``, ``ja_JP``, ``zh-TW``) to a supported language."""
    if not tag:
        return None
    normalized = tag.replace("_", "-").strip().lower()
    primary = normalized.split("-")[0]
    if primary == "zh":
        # Traditional script is what Taiwan, Hong Kong and Macao write; we have no Simplified.
        parts = set(normalized.split("-")[1:])
        return "zh-Hant" if parts & {"hant", "tw", "hk", "mo"} else None
    return primary if primary in SUPPORTED_LANGUAGES else None


# Languages that write no space after a sentence's full stop (。).
_NO_SPACE_BETWEEN_SENTENCES = frozenset({"ja", "zh-Hant"})


class Translator:
    """Translates and formats for one language; ``_``, ``n_`` and ``p_`` are the extraction
    keywords (with ``N_`` and ``NP_`` for strings marked where they are defined)."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language, sep="-")
        self._translations = translations

    def _(self, message: str, **values: object) -> str:
        """The translation of ``message`` with its placeholders filled."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The singular or plural translation for ``count``; ``{count}`` is filled in."""
        text = self._translations.ngettext(singular, plural, count)
        return text.format(count=self.number(count), **values)

    def p_(self, context: str, message: str, **values: object) -> str:
        """The translation of ``message`` in ``context`` (a short label that means different
        things in different places, such as "Next" page or "Next" step), placeholders filled."""
        text = self._translations.pgettext(context, message)
        return text.format(**values) if values else text

    def language_name(self, language: str) -> str:
        """A supported language's name, as this locale writes it ("español", "日本語")."""
        return Locale.parse(language, sep="-").get_display_name(self.locale) or language

    def quote(self, text: str) -> str:
        """``text`` between the language's quotation marks: “Acme” in English, 「Acme」 in
        Japanese."""
        start, end = _QUOTATION_MARKS[self.language]
        return f"{start}{text}{end}"

    def list_of(self, items: Iterable[str]) -> str:
        """Items as the language lists them: "a, b, and c", "a, b y c", "a、b、c", "a、b和c"."""
        return format_list(list(items), locale=self.locale)

    def sentences(self, items: Iterable[str]) -> str:
        """Whole sentences one after another: with a space between them where the language
        writes one, none in Japanese and Chinese (a list would mix its commas with theirs)."""
        return ("" if self.language in _NO_SPACE_BETWEEN_SENTENCES else " ").join(items)

    def one_of(self, items: Iterable[str]) -> str:
        """Alternatives as the language lists them: "a, b, or c", "a、b、またはc"."""
        return format_list(list(items), style="or", locale=self.locale)

    def number(self, value: int | Decimal) -> str:
        """A number in the locale's notation."""
        return format_decimal(value, locale=self.locale)

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount with its currency, in the locale's notation."""
        return format_currency(amount, currency, locale=self.locale)

    def date_time(self, value: datetime, timezone: str) -> str:
        """A date and a time to the minute (no seconds), in the tenant's timezone."""
        local = value.astimezone(ZoneInfo(timezone))
        # A medium date with a short time, glued by the locale's pattern for a medium date
        # (Babel's own format_datetime uses one length for both, so medium shows seconds).
        return (
            str(self.locale.datetime_formats["medium"])
            .replace("'", "")
            .replace("{0}", format_time(local, "short", locale=self.locale))
            .replace("{1}", format_date(local, "medium", locale=self.locale))
        )

    def date(self, value: datetime, timezone: str) -> str:
        """A date shown in the tenant's timezone."""
        return format_date(value.astimezone(ZoneInfo(timezone)), "medium", locale=self.locale)


@cache
def translator(language: str) -> Translator:
    """The translator for a supported language (English for anything else)."""
    if language not in _CATALOG_NAMES:
        return Translator(DEFAULT_LANGUAGE, gettext.NullTranslations())
    return Translator(language, load_catalog(language))


def catalog_path(language: str) -> Path:
    """The ``.po`` file of a supported non-English language."""
    return LOCALE_DIR / _CATALOG_NAMES[language] / "LC_MESSAGES" / "messages.po"


def load_catalog(language: str) -> gettext.GNUTranslations:
    """Read a ``.po`` catalog; fuzzy (unreviewed) entries are left out, as gettext does."""
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=_CATALOG_NAMES[language])
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
