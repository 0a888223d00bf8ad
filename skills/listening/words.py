"""Where words start and end, per writing system, so that a listed term matches a word and
not the inside of another one (ブス is not in サブスク, 低能 is not in 低能見度).

- ``separated``: scripts that separate words with spaces and punctuation (English, Spanish): a
  boundary is wherever a letter or digit meets anything else.
- ``japanese``: the morphological analyser MeCab (through ``fugashi``) with the UniDic-lite
  dictionary. It keeps its dictionary memory-mapped and splits a short message in a few
  microseconds.
- ``chinese``: jieba's segmenter (through ``rjieba``, a compiled port with its dictionary
  built in). Its dictionary is in Simplified characters, so the text is first mapped character
  by character to Simplified with OpenCC's table; the mapping keeps every character's position,
  so the boundaries found are the Traditional text's.

docs/listening.md says why these were chosen (measured against SudachiPy and jieba itself).
An analyser loads when a message first needs it (a listed term of its language in a message),
not when the app starts: jieba's dictionary alone holds about 33 MB, and most workspaces never
write Chinese or Japanese (BENCHMARKS.md, memory). The app checks at start that each one and
its dictionary are installed (``check_installed``, through ``check_term_lists``), without
loading them, so that a broken install still fails then.
"""

import re
from collections.abc import Container
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol

# A run of letters and digits: a word of a space-separated script.
WORD = re.compile(r"\w+")


class WordSplitter(Protocol):
    """Finds the positions in a text where a word starts or ends."""

    def boundaries(self, text: str) -> Container[int]:
        """Every offset of ``text`` at which a word starts or ends (0 and ``len(text)``
        included)."""
        ...


class _SeparatedBoundaries:
    """Boundaries of a space-separated text, tested where asked instead of listed: every
    offset that is not inside a run of letters and digits."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int) or not 0 <= offset <= len(self._text):
            return False
        before = offset > 0 and _in_word(self._text[offset - 1])
        after = offset < len(self._text) and _in_word(self._text[offset])
        return not (before and after)


def _in_word(char: str) -> bool:
    # The same characters as the regular expression "\w".
    return char.isalnum() or char == "_"


def _installed(package: str, *files: str) -> Path:
    """The folder of ``package``, found without importing it; ``ImportError`` when it is not
    installed, ``FileNotFoundError`` when one of its data ``files`` is missing."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise ImportError(f"{package} is not installed")
    folder = Path(spec.origin).parent
    for name in files:
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{package} lacks {name}")
    return folder


class SeparatedWords:
    """Words separated by spaces and punctuation."""

    @staticmethod
    def check_installed() -> None:
        """Nothing to install: Python splits these itself."""

    def boundaries(self, text: str) -> Container[int]:
        """Offsets where a letter or digit meets anything else."""
        return _SeparatedBoundaries(text)


def _offsets(pieces: list[str], start: int = 0) -> set[int]:
    offsets = {start}
    for piece in pieces:
        start += len(piece)
        offsets.add(start)
    return offsets


class JapaneseWords:
    """Japanese words, as MeCab with UniDic-lite splits them."""

    @staticmethod
    def check_installed() -> None:
        """Raises ``ImportError`` or ``OSError`` when MeCab or UniDic-lite is missing."""
        _installed("fugashi")
        _installed("unidic_lite", "dicdir/sys.dic")

    def __init__(self) -> None:
        import fugashi  # imported here: a process that splits no Japanese never loads it

        self._tagger = fugashi.Tagger()

    def boundaries(self, text: str) -> Container[int]:
        """Offsets where MeCab's words start and end (the spaces it skips are words too)."""
        pieces: list[str] = []
        for word in self._tagger(text):
            pieces += [word.white_space, word.surface]
        offsets = _offsets(pieces)
        offsets.add(len(text))
        return offsets


class ChineseWords:
    """Chinese words, as jieba splits them (Traditional text read through Simplified)."""

    @staticmethod
    def check_installed() -> None:
        """Raises ``ImportError`` or ``OSError`` when rjieba or OpenCC's table is missing."""
        _installed("rjieba")
        _installed("opencc", _TRADITIONAL_TO_SIMPLIFIED)

    def __init__(self) -> None:
        import rjieba  # imported here: its dictionary is most of this process's Chinese memory

        self._cut = rjieba.cut
        table = _installed("opencc", _TRADITIONAL_TO_SIMPLIFIED) / _TRADITIONAL_TO_SIMPLIFIED
        self._to_simplified = str.maketrans(_one_to_one(table.read_text(encoding="utf-8")))

    def boundaries(self, text: str) -> Container[int]:
        """Offsets where jieba's words start and end."""
        return _offsets(self._cut(text.translate(self._to_simplified), hmm=False))


# OpenCC's character table, in its package folder.
_TRADITIONAL_TO_SIMPLIFIED = "dictionary/TSCharacters.txt"


def _one_to_one(table: str) -> dict[int, str]:
    """OpenCC's character table as a ``str.translate`` map, keeping only single characters
    (the first, most common, choice), so that every position stays where it was."""
    mapping: dict[int, str] = {}
    for line in table.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            mapping[ord(source)] = target
    return mapping


SPLITTERS: dict[str, type[SeparatedWords | JapaneseWords | ChineseWords]] = {
    "separated": SeparatedWords,
    "japanese": JapaneseWords,
    "chinese": ChineseWords,
}


@cache
def word_splitter(kind: str) -> WordSplitter:
    """The splitter named ``kind`` in a term list's ``[matching] words``, made once."""
    return SPLITTERS[kind]()
