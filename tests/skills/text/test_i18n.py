"""Every user-facing string is translated in every language, with the same placeholders; and
the translator's plurals, contexts, lists, quotation marks, numbers and dates."""

import ast
import gettext
import string
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from skills.text.i18n import SUPPORTED_LANGUAGES, Translator, catalog_path, translator
from skills.text.times import weekday_name

ROOT = Path(__file__).resolve().parents[3]
# The Makefile's catalogs target: -k n_:1,2 -k p_:1c,2 -k NP_:1c,2.
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2), "p_": ((1, "c"), 2), "NP_": ((1, "c"), 2)}
TRANSLATED = [language for language in SUPPORTED_LANGUAGES if language != "en"]
# A message is its context (None for most) and its id (the singular, for a plural).
Key = tuple[str | None, str]


def _source_messages() -> dict[Key, str | tuple[str, ...]]:
    found: dict[Key, str | tuple[str, ...]] = {}
    for folder in ("skills", "bot"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else message[0]
            found[(context, key)] = message
    return found


SOURCE = _source_messages()


def _placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as po_file:
        return read_po(po_file)


def _key(message_id: str | tuple[str, ...], context: str | None) -> Key:
    return context, message_id if isinstance(message_id, str) else message_id[0]


def test_the_source_has_messages() -> None:
    assert len(SOURCE) > 100
    assert (None, "Report filed about {client}") in SOURCE
    # The same words in two contexts are two messages.
    assert ("page", "Next") in SOURCE
    assert ("step", "Next") in SOURCE
    assert ("decision", "Keep them, on our terms") in SOURCE


def _written_messages() -> list[tuple[str, int, Key]]:
    """Every message written as a literal in a call of a keyword, by reading the code itself."""
    found = []
    for folder in ("skills", "bot"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
                if name in {"_", "n_", "N_"} and texts and isinstance(texts[0], str):
                    found.append((path.name, node.lineno, (None, texts[0])))
                elif name in {"p_", "NP_"} and len(texts) >= 2:
                    found.append((path.name, node.lineno, (texts[0], texts[1])))
    return found


def test_every_message_in_the_code_is_extracted() -> None:
    # Babel's extractor loses a message inside another call inside a message's call:
    # t._("{x}", x=t.list_of([t._("y")])) extracts neither.
    lost = [(name, line, key) for name, line, key in _written_messages() if key not in SOURCE]
    assert lost == []


def test_template_is_up_to_date() -> None:
    with (ROOT / "skills" / "locale" / "messages.pot").open("rb") as pot:
        template = {_key(message.id, message.context) for message in read_po(pot) if message.id}
    assert template == set(SOURCE), "run 'make catalogs' after changing user-facing strings"


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete(language: str) -> None:
    catalog = _catalog(language)
    problems = []
    for (context, key), message in SOURCE.items():
        entry = catalog.get(key, context=context)
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
    leftovers = [m.id for m in _catalog(language) if m.id and _key(m.id, m.context) not in SOURCE]
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
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert translator("en").number(3000) == "3,000"
    assert translator("es").number(Decimal("1234.5")) == "1.234,5"
    assert translator("ja").date(moment, "Asia/Tokyo") == "2026/03/02"
    assert "2026" in translator("zh-Hant").date(moment, "Asia/Taipei")


def test_plural_counts_are_numbers_of_the_locale() -> None:
    assert translator("en").n_("{count} strike", "{count} strikes", 1200) == "1,200 strikes"
    assert "1.200" in translator("es").n_("{count} strike", "{count} strikes", 1200)


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "Mar 2, 2026, 6:00\u202fPM"),
        ("es", "2 mar 2026, 18:00"),
        ("ja", "2026/03/02 18:00"),
        ("zh-Hant", "2026年3月2日 下午6:00"),
    ],
)
def test_date_and_time_to_the_minute(language: str, shown: str) -> None:
    moment = datetime(2026, 3, 2, 9, 0, 59, tzinfo=UTC)
    assert translator(language).date_time(moment, "Asia/Tokyo") == shown


def _translator_with(catalog: Catalog) -> Translator:
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translator("es", gettext.GNUTranslations(compiled))


def test_a_context_tells_the_same_words_apart() -> None:
    catalog = Catalog(locale="es")
    catalog.add("Next", "Siguiente", context="step")
    catalog.add("Next", "Página siguiente", context="page")
    catalog.add("Step {number}", "Paso {number}", context="step")
    t = _translator_with(catalog)
    assert t.p_("step", "Next") == "Siguiente"
    assert t.p_("page", "Next") == "Página siguiente"
    assert t.p_("step", "Step {number}", number=2) == "Paso 2"
    # No translation in that context: the English, as gettext does.
    assert t.p_("button", "Next") == "Next"


def test_the_assessments_steps_are_not_pages_in_chinese() -> None:
    # The defect: the assessment's "Next" read 下一頁 (next page) in Traditional Chinese.
    t = translator("zh-Hant")
    assert t.p_("step", "Next") == "下一步"
    assert t.p_("step", "Back") == "上一步"
    assert t.p_("page", "Next") == "下一頁"


@pytest.mark.parametrize(
    ("language", "quoted", "listed", "alternatives"),
    [
        ("en", "“Acme”", "a, b, and c", "a, b, or c"),
        ("es", "“Acme”", "a, b y c", "a, b o c"),
        ("ja", "「Acme」", "a、b、c", "a、b、またはc"),
        ("zh-Hant", "「Acme」", "a、b和c", "a、b或c"),
    ],
)
def test_quotation_marks_and_lists_follow_the_language(
    language: str, quoted: str, listed: str, alternatives: str
) -> None:
    t = translator(language)
    assert t.quote("Acme") == quoted
    assert t.list_of(["a", "b", "c"]) == listed
    assert t.one_of(["a", "b", "c"]) == alternatives
    assert t.list_of(["a"]) == "a"
    assert t.list_of([]) == ""


@pytest.mark.parametrize(
    ("language", "monday"),
    [("en", "Monday"), ("es", "lunes"), ("ja", "月曜日"), ("zh-Hant", "星期一")],
)
def test_weekdays_are_written_as_mid_sentence(language: str, monday: str) -> None:
    assert weekday_name(translator(language), 0) == monday
