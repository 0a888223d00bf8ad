"""Each catalog uses its glossary's word wherever the English message has the glossary's term
(the glossary is the table in docs/languages.md, read from there)."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

from skills.text.i18n import catalog_path

DOCS = Path(__file__).resolve().parents[3] / "docs" / "languages.md"
LANGUAGES = ("es", "ja", "zh-Hant")
# (English term, message id): where the English word means something else. Each says why.
OTHER_SENSES: dict[tuple[str, str], str] = {
    (
        "manager, managers",
        "Write: managers add <user> … or managers remove <user> …",
    ): "the setting's name, typed as it is",
    (
        "dispute, disputes, disputed",
        "Do they dispute prices or push for extras at no charge?",
    ): "arguing about a price, not disputing a strike",
    (
        "dispute, disputes, disputed",
        "Disputes the price of delivered work or keeps squeezing for extras.",
    ): "arguing about a price, not disputing a strike",
}
# (language, message id): a translation that says it better without the word. Each says why.
IDIOMATIC: dict[tuple[str, str], str] = {
    ("ja", "No longer a client"): "a state's name: 取引終了 (business ended) is how it is said",
}


def glossary() -> dict[str, dict[str, tuple[str, ...]]]:
    """English forms (comma-separated) → language → the words any of which must appear."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    rows = [
        line for line in section.splitlines() if line.startswith("|") and not line.startswith("|-")
    ][1:]
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows:
        english, *words = (cell.strip() for cell in row.strip("|").split("|"))
        table[english] = {
            language: tuple(word.strip() for word in cell.split(" / "))
            for language, cell in zip(LANGUAGES, words[: len(LANGUAGES)], strict=True)
        }
    return table


# Placeholders, command words and syntax placeholders are not prose: "/client assess {client}".
# So are setting names ("escalation-people").
_NOT_PROSE = re.compile(r"\{[^}]*\}|/[\w-]+(?: [\w-]+)?|<[^>]*>|\[[^\]]*\]|\w+(?:-\w+)+")


def _english_pattern(forms: str) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(form.strip()) for form in forms.split(","))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _texts(message: Message) -> tuple[list[str], list[str]]:
    ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
    strings = message.string
    translated = list(strings) if isinstance(strings, tuple) else [strings]
    return [str(text) for text in ids], [str(text) for text in translated]


def test_the_glossary_names_the_products_terms() -> None:
    terms = glossary()
    for term in ("strike", "report", "client", "threshold", "manager", "playbook", "evidence"):
        assert any(term in english.split(", ") for english in terms), term


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_uses_its_glossary_words(language: str) -> None:
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file)
    wrong = []
    for english, words in glossary().items():
        pattern = _english_pattern(english)
        expected = words[language]
        for message in catalog:
            if not message.id:
                continue
            ids, translations = _texts(message)
            if not any(pattern.search(_NOT_PROSE.sub(" ", text)) for text in ids):
                continue
            if (english, ids[0]) in OTHER_SENSES or (language, ids[0]) in IDIOMATIC:
                continue
            # An entry not translated yet is the completeness test's to report.
            for translation in filter(None, translations):
                if not any(word.lower() in translation.lower() for word in expected):
                    wanted = " / ".join(expected)
                    wrong.append(f"{english} → {wanted}: {ids[0]!r} = {translation!r}")
    assert not wrong, "\n".join(wrong)
