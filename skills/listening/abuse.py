"""Does a client's message abuse the staff? Term lists per language, kept as data in
``skills/data/abuse/<language>.toml``, and a rule that puts precision first.

A message is flagged when:

- a threat pattern matches (harm, damage or intimidation aimed at staff), or
- a slur appears, or
- an insult or a swear word appears in a sentence that is aimed at someone (a target marker:
  "you", "sois", "お前", "你們"…), or in a shouted sentence (mostly capitals; Latin scripts).

Before matching, quoted material is removed (code in backticks, lines starting with ">"), as
are the list's harmless phrases ("this bug is killing me", "kill the process") and a tenant's
allow-list; a tenant's extra terms count as insults. Every language's list is tried, since a
client may write in any of them. A finding explains what matched.

A list that cannot be read is an error, never an empty list: ``check_term_lists`` runs when
the app is built, so a broken install fails at start. The labelled sets and the evaluation
live outside the package, in ``evaluation/`` (docs/listening.md).
"""

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from skills.listening.literal_search import LiteralIndex, required_cues
from skills.text.i18n import SUPPORTED_LANGUAGES

TERMS = Path(__file__).parents[1] / "data" / "abuse"
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_SENTENCE = re.compile(r"[.!?¡¿。！？\n]+")
_WORD = re.compile(r"\w+")
SHOUTED_SHARE = 0.7
SHOUTED_LETTERS = 10


@dataclass(frozen=True)
class Match:
    """One thing that matched: its kind (threat, slur, insult, profanity) and the words."""

    kind: str
    text: str


@dataclass(frozen=True)
class Finding:
    """Why a message looks abusive. ``category`` is the report category it suggests."""

    category: str
    matches: tuple[Match, ...]
    language: str


@dataclass(frozen=True)
class TermList:
    """One language's terms, compiled."""

    language: str
    word_boundaries: bool
    words: frozenset[str]
    phrases: LiteralIndex[str]
    # Threat patterns found through the literals their matches must contain; those with no
    # such literal are always tried.
    threat_cues: LiteralIndex[re.Pattern[str]]
    threats_always: tuple[re.Pattern[str], ...]
    slurs: re.Pattern[str] | None
    insults: re.Pattern[str] | None
    profanity: re.Pattern[str] | None
    targets: re.Pattern[str] | None
    safe: re.Pattern[str] | None


def file_name(language: str) -> str:
    """The data file's name for a language (``zh-Hant`` is ``zh_Hant``)."""
    return language.replace("-", "_")


class TermListError(RuntimeError):
    """A language's term list is missing or unreadable: the install is broken."""


def check_term_lists() -> None:
    """Load and compile every supported language's list now (they are kept): raises
    ``TermListError`` for one that is missing, unreadable or empty."""
    for language in SUPPORTED_LANGUAGES:
        term_list(language)


@cache
def term_list(language: str) -> TermList:
    """The compiled term list of ``language``; ``TermListError`` when its file is missing,
    unreadable or lists no terms (a detector that silently finds nothing is worse than none)."""
    source = TERMS / f"{file_name(language)}.toml"
    try:
        table = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TermListError(
            f"the {language} abuse term list {source} cannot be read: {error}"
        ) from error
    if not any(table.get("terms", {}).values()):
        raise TermListError(f"the {language} abuse term list {source} lists no terms")
    bounded = bool(table.get("matching", {}).get("word_boundaries", True))
    terms = table.get("terms", {})

    def words(name: str) -> list[str]:
        return [_normalize(term, bounded) for term in terms.get(name, []) if term.strip()]

    cued: list[tuple[str, re.Pattern[str]]] = []
    always: list[re.Pattern[str]] = []
    for source in terms.get("threats", []):
        pattern = re.compile(source)
        cues = required_cues(source)
        if cues is None:
            always.append(pattern)
        else:
            cued += [(cue, pattern) for cue in cues]
    listed = {*words("slurs"), *words("insults"), *words("profanity")}
    single = {term for term in listed if bounded and _WORD.fullmatch(term)}
    return TermList(
        language=language,
        word_boundaries=bounded,
        words=frozenset(single),
        phrases=LiteralIndex((phrase, phrase) for phrase in sorted(listed - single)),
        threat_cues=LiteralIndex(cued),
        threats_always=tuple(always),
        slurs=_compiled(words("slurs"), bounded),
        insults=_compiled(words("insults"), bounded),
        profanity=_compiled(words("profanity"), bounded),
        targets=_compiled(words("targets"), bounded),
        safe=_compiled(words("safe"), bounded),
    )


def detect(
    text: str,
    *,
    languages: Sequence[str] = SUPPORTED_LANGUAGES,
    extra_terms: Iterable[str] = (),
    allowed: Iterable[str] = (),
) -> Finding | None:
    """The first language whose terms find abuse in ``text``, with what matched; None when
    the message looks fine. ``extra_terms`` count as insults; ``allowed`` phrases are ignored."""
    unquoted = _QUOTED_LINE.sub(" ", _CODE.sub(" ", text))
    extra = tuple(extra_terms)
    allow = tuple(allowed)
    # Latin-script lists compare without accents; the others as written (two forms in all).
    forms = {bounded: _normalize(unquoted, bounded) for bounded in (True, False)}
    for language in languages:
        terms = term_list(language)
        finding = _detect_in(terms, unquoted, forms[terms.word_boundaries], extra, allow)
        if finding is not None:
            return finding
    return None


def _detect_in(
    terms: TermList,
    text: str,
    normalized_text: str,
    extra: tuple[str, ...],
    allowed: tuple[str, ...],
) -> Finding | None:
    whole = _cleaned(terms, normalized_text, allowed)
    extra_insults = _compiled(
        [_normalize(term, terms.word_boundaries) for term in extra], terms.word_boundaries
    )
    candidates = dict.fromkeys([*terms.threat_cues.found(whole), *terms.threats_always])
    threat = next((found for pattern in candidates if (found := pattern.search(whole))), None)
    if not (
        threat or _mentions_any(terms, whole) or (extra_insults and extra_insults.search(whole))
    ):
        return None  # most messages stop here: nothing of this language's lists is in them
    matches = [Match("threat", threat.group(0))] if threat else []
    for sentence in _SENTENCE.split(text):
        normalized = _cleaned(terms, _normalize(sentence, terms.word_boundaries), allowed)
        if not normalized.strip():
            continue
        matches += _found("slur", terms.slurs, normalized)
        rude = _found("insult", terms.insults, normalized)
        rude += _found("insult", extra_insults, normalized)
        rude += _found("profanity", terms.profanity, normalized)
        if not rude:
            continue
        aimed = _found("target", terms.targets, normalized)
        if aimed or (terms.word_boundaries and _shouted(sentence)):
            matches += rude + aimed
    if not any(match.kind in {"threat", "slur", "insult", "profanity"} for match in matches):
        return None
    category = "threat" if any(match.kind == "threat" for match in matches) else "abuse"
    return Finding(category, tuple(dict.fromkeys(matches)), terms.language)


def _mentions_any(terms: TermList, text: str) -> bool:
    """A cheap first look: does any listed term occur at all? (Set lookups for single words,
    substring tests for the rest; the exact, bounded matching follows only when one does.)"""
    if terms.words and not terms.words.isdisjoint(_WORD.findall(text)):
        return True
    return bool(terms.phrases.found(text))


def _found(kind: str, pattern: re.Pattern[str] | None, text: str) -> list[Match]:
    if pattern is None:
        return []
    return [Match(kind, found.group(0).strip()) for found in pattern.finditer(text)]


def _cleaned(terms: TermList, text: str, allowed: tuple[str, ...]) -> str:
    if terms.safe is not None:
        text = terms.safe.sub(" ", text)
    for phrase in allowed:
        text = text.replace(_normalize(phrase, terms.word_boundaries), " ")
    return text


def _normalize(text: str, strip_accents: bool) -> str:
    if text.isascii():  # most messages: both normal forms leave ASCII as it is
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    if strip_accents:
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return text


def _shouted(sentence: str) -> bool:
    upper = sum(1 for char in sentence if char.isupper())
    cased = upper + sum(1 for char in sentence if char.islower())
    return cased >= SHOUTED_LETTERS and upper >= SHOUTED_SHARE * cased


def _alternation(terms: list[str], bounded: bool) -> str:
    if not terms:
        return ""
    # Longest first, so "useless idiot" wins over "idiot" in the explanation.
    body = "|".join(re.escape(term) for term in sorted(set(terms), key=len, reverse=True))
    return rf"(?<!\w)(?:{body})(?!\w)" if bounded else f"(?:{body})"


def _compiled(terms: list[str], bounded: bool) -> re.Pattern[str] | None:
    pattern = _alternation(terms, bounded)
    return re.compile(pattern) if pattern else None
