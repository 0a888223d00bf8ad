"""Every user-facing string is translated in every language, with the same placeholders."""

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from skills.text.i18n import SUPPORTED_LANGUAGES, catalog_path, translator

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2)}
TRANSLATED = [language for language in SUPPORTED_LANGUAGES if language != "en"]


def _source_messages() -> dict[str, str | tuple[str, ...]]:
    found: dict[str, str | tuple[str, ...]] = {}
    for folder in ("skills", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else message[0]
            found[key] = message
    return found


SOURCE = _source_messages()


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as po_file:
        return read_po(po_file)


def test_the_source_has_messages() -> None:
    assert len(SOURCE) > 100
    assert "Report filed about {client}" in SOURCE


def test_template_is_up_to_date() -> None:
    with (ROOT / "skills" / "locale" / "messages.pot").open("rb") as pot:
        template = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(pot)
            if message.id
        }
    assert template == set(SOURCE), "run 'make catalogs' after changing user-facing strings"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete(language: str) -> None:
    catalog = _catalog(language)
    problems = []
    for key, message in SOURCE.items():
        entry = catalog.get(key)
        if entry is None:
            problems.append(f"missing: {key!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        sources = (message,) if isinstance(message, str) else message
        expected = set().union(*(_placeholders(text) for text in sources))
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in translations:
            if not text:
                problems.append(f"untranslated: {key!r}")
            elif _placeholders(text) != expected:
                problems.append(f"placeholders differ: {key!r} → {text!r}")
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_has_no_leftovers(language: str) -> None:
    leftovers = [
        m.id
        for m in _catalog(language)
        if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in SOURCE
    ]
    assert leftovers == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_used(language: str) -> None:
    t = translator(language)
    assert t._("Report filed about {client}", client="Acme") != "Report filed about Acme"
    assert "Acme" in t._("Report filed about {client}", client="Acme")


def test_plurals_follow_the_language() -> None:
    assert translator("en").n_("{count} strike", "{count} strikes", 1) == "1 strike"
    assert translator("en").n_("{count} strike", "{count} strikes", 2) == "2 strikes"
    spanish = translator("es")
    assert spanish.n_("{count} strike", "{count} strikes", 1) != spanish.n_(
        "{count} strike", "{count} strikes", 2
    ).replace("2", "1")


def test_numbers_and_dates_follow_the_locale() -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert translator("en").number(3000) == "3,000"
    assert translator("es").number(Decimal("1234.5")) == "1.234,5"
    assert translator("ja").date(moment, "Asia/Tokyo") == "2026/03/02"
    assert "2026" in translator("zh-Hant").date(moment, "Asia/Taipei")
    assert translator("en").date_time(moment, "America/New_York").startswith("Mar 2, 2026, 4:00")
