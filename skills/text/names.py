"""Client names: one normalised form for lookups, and "did you mean" for near misses.

The form ignores case, accents on Latin letters, full- and half-width forms, spaces and
punctuation, and hiragana versus katakana. Japanese voicing marks are kept: カ and ガ differ.
"""

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from skills.text.limits import CLIENT_NAME_LIMIT

_LATIN_COMBINING = range(0x0300, 0x0370)
_HIRAGANA = range(0x3041, 0x3097)
_KATAKANA_OFFSET = 0x60
# The only ASCII characters of the categories kept (L, N, Mn) are letters and digits.
_ASCII_DROPPED = re.compile(r"[^a-z0-9]+")

# No stored lookup key is longer than this (see clients.name_error).
KEY_LIMIT = CLIENT_NAME_LIMIT
# The most of a text read as a client's name. Another spelling of a stored name may be longer
# than the name (accents typed as separate marks, spaces and punctuation between the words),
# but not without bound, and normalising is a Python loop over every character: a request
# must not be able to make it, or any matching after it, as long as it likes.
SPELLING_LIMIT = 2 * CLIENT_NAME_LIMIT
# "Did you mean": rapidfuzz's ratio (0 to 100) that makes a name similar enough to offer. The
# ratio is the normalised Indel similarity (twice the longest common subsequence over both
# lengths). difflib's ratio, used before, counts a common subsequence found greedily, so
# rapidfuzz's is never lower and is equal on the names tried; the same 0.6 is kept.
SIMILAR = 60.0
# A short form contained in a longer name (or the reverse) scores this much at least.
CONTAINED = 80.0


def normalize(name: str) -> str:
    """The lookup key of a name: what two spellings of the same name share."""
    if name.isascii():
        # The same key without the loop below, whose cost every candidate of "did you mean"
        # pays on each miss: ASCII has no accents or kana, and NFKD leaves it as it is.
        return _ASCII_DROPPED.sub("", name.lower())
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


def query_key(text: str) -> str | None:
    """The lookup key of ``text`` for an exact match, or None when ``text`` is too long to be
    any client's name (so the caller need not look: no stored key could equal it)."""
    spelling = text.strip()
    if len(spelling) > SPELLING_LIMIT:
        return None
    key = normalize(spelling)
    return key if len(key) <= KEY_LIMIT else None


def _clipped_key(text: str) -> str:
    """The key of the beginning of ``text``, no longer than any stored key: what fuzzy
    matching compares, so its cost has a bound whatever the text."""
    return normalize(text.strip()[:SPELLING_LIMIT])[:KEY_LIMIT]


def suggest(
    query: str, candidates: Iterable[tuple[int, str, list[str]]], *, limit: int = 3
) -> list[tuple[int, str]]:
    """The clients whose name or alias is closest to ``query``, best first.

    ``candidates`` are (id, name, aliases). A candidate matches when its key is similar enough
    or when one key contains the other (a short form of a longer name). Only the beginning of
    a very long query or spelling is compared (``SPELLING_LIMIT``), so the time taken grows
    with the number of candidates only.
    """
    key = _clipped_key(query)
    if not key:
        return []
    owners: list[tuple[int, str]] = []
    keys: list[str] = []
    for client_id, name, aliases in candidates:
        for spelling in (name, *aliases):
            other = _clipped_key(spelling)
            if other:
                owners.append((client_id, name))
                keys.append(other)
    # Scores above the cutoff, computed in C; below it rapidfuzz stops early.
    scores = {
        index: score
        for _other, score, index in process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=None
        )
    }
    if len(key) >= 2:
        for index, other in enumerate(keys):
            # Both keys have at most KEY_LIMIT characters, so this stays cheap.
            if len(other) >= 2 and (key in other or other in key):
                scores[index] = max(scores.get(index, 0.0), CONTAINED)
    best: dict[int, tuple[float, str]] = {}
    for index, score in scores.items():
        client_id, name = owners[index]
        if score > best.get(client_id, (0.0, ""))[0]:
            best[client_id] = (score, name)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [(client_id, name) for client_id, (_score, name) in ranked[:limit]]
