"""Each catalog keeps its language's conventions (docs/languages.md): one regional variety, no
space between a name and Japanese or Chinese text, companies counted as companies."""

import os
import re
import shutil
import subprocess

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from skills.text.i18n import catalog_path, translator

# Words of Spain's Spanish where the catalog writes neutral Latin-American Spanish (as Slack's
# Spanish UI), and the Chinese of elsewhere where it writes Taiwan's (as Slack zh-TW).
OTHER_VARIETIES = {
    "es": re.compile(
        r"\b(?:añad\w*|coste|costes|ordenador\w*|pulsa\w*|vosotr[oa]s|vuestr[oa]s?)\b",
        re.IGNORECASE,
    ),
    "zh-Hant": re.compile(r"您|工作區|發送|聯繫"),
}
# A name placeholder and the Japanese or Chinese text next to it, with a space between.
_CJK = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]"
_NAME = r"\{(?:client|name|owner|author|reporter|person|manager|by)\}"
SPACED_NAME = re.compile(rf"{_NAME} (?={_CJK})|(?<={_CJK}) {_NAME}")


def _catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as po_file:
        return read_po(po_file)


def _translations(language: str) -> list[tuple[str, str]]:
    found = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found += [(str(ids[0]), str(string)) for string in strings if string]
    return found


@pytest.mark.parametrize("language", sorted(OTHER_VARIETIES))
def test_one_regional_variety(language: str) -> None:
    pattern = OTHER_VARIETIES[language]
    wrong = [(english, text) for english, text in _translations(language) if pattern.search(text)]
    assert not wrong, wrong


@pytest.mark.parametrize("language", ["ja", "zh-Hant"])
def test_no_space_between_a_name_and_the_text_around_it(language: str) -> None:
    wrong = [
        (english, text) for english, text in _translations(language) if SPACED_NAME.search(text)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize(("language", "counter"), [("ja", "社"), ("zh-Hant", "家")])
def test_clients_are_counted_as_companies(language: str, counter: str) -> None:
    shown = translator(language).n_(
        "{category} ({count} client)", "{category} ({count} clients)", 3, category="x"
    )
    assert counter in shown, shown


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", ["es", "ja", "zh-Hant"])
def test_gettext_accepts_each_catalog(language: str) -> None:
    # msgfmt --check: formats, plural forms, headers; what gettext tools would refuse.
    checked = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(catalog_path(language))],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stderr, checked.stderr
