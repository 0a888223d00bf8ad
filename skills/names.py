"""Client names: one normalised form for lookups, and "did you mean" for near misses.

The form ignores case, accents on Latin letters, full- and half-width forms, spaces and
punctuation, and hiragana versus katakana. Japanese voicing marks are kept: カ and ガ differ.
"""

import difflib
import unicodedata
from collections.abc import Iterable

_LATIN_COMBINING = range(0x0300, 0x0370)
_HIRAGANA = range(0x3041, 0x3097)
_KATAKANA_OFFSET = 0x60


def normalize(name: str) -> str:
    """The lookup key of a name: what two spellings of the same name share."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = []
    for char in decomposed:
        code = ord(char)
        if code in _LATIN_COMBINING:
            continue
        if code in _HIRAGANA:
            char = chr(code + _KATAKANA_OFFSET)
        if unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "Mn":
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def suggest(
    query: str, candidates: Iterable[tuple[int, str, list[str]]], *, limit: int = 3
) -> list[tuple[int, str]]:
    """The clients whose name or alias is closest to ``query``, best first.

    ``candidates`` are (id, name, aliases). A candidate matches when its key is similar enough
    or when one key contains the other (a short form of a longer name).
    """
    key = normalize(query)
    if not key:
        return []
    scored: dict[int, tuple[float, str]] = {}
    for client_id, name, aliases in candidates:
        for spelling in (name, *aliases):
            other = normalize(spelling)
            if not other:
                continue
            score = difflib.SequenceMatcher(None, key, other).ratio()
            if min(len(key), len(other)) >= 2 and (key in other or other in key):
                score = max(score, 0.8)
            if score >= 0.6 and score > scored.get(client_id, (0.0, ""))[0]:
                scored[client_id] = (score, name)
    best = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [(client_id, name) for client_id, (_score, name) in best[:limit]]
