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
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from skills.listening.first_look import FirstLook, Literals
from skills.listening.literal_search import LiteralIndex, required_cues
from skills.listening.words import SPLITTERS, WORD, word_splitter
from skills.text.i18n import SUPPORTED_LANGUAGES
from skills.text.input import clean_text
from skills.text.limits import clip

TERMS = Path(__file__).parents[1] / "data" / "abuse"
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_SENTENCE = re.compile(r"[.!?¡¿。！？\n]+")
SHOUTED_SHARE = 0.7
SHOUTED_LETTERS = 10
SHOUT_QUOTE = 40  # how much of a shouted sentence a finding quotes


@dataclass(frozen=True)
class Match:
    """One thing that matched: its kind and the words. The kinds say why a message was
    flagged: a ``threat``, a ``slur``, or an ``insult`` or ``profanity`` together with a
    ``target`` (what aimed it at someone) or ``shouted`` (the sentence, in capitals)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Finding:
    """Why a message looks abusive. ``category`` is the report category it suggests."""

    category: str
    matches: tuple[Match, ...]
    language: str


@dataclass(frozen=True)
class Term:
    """A listed term, normalized: its kind (slur, insult, profanity, mild or target), and
    whether it may match inside a longer word (by default it must be a word, or words, of
    its own)."""

    text: str
    kind: str
    within_words: bool = False


class TermIndex:
    """Terms found fast in a text: single words by a set lookup (space-separated scripts),
    the rest by their literal text."""

    def __init__(self, terms: Iterable[Term], *, by_word: bool) -> None:
        self._words: dict[str, list[Term]] = {}
        phrases: list[tuple[str, Term]] = []
        for term in terms:
            if by_word and not term.within_words and WORD.fullmatch(term.text):
                self._words.setdefault(term.text, []).append(term)
            else:
                phrases.append((term.text, term))
        self._word_set = frozenset(self._words)
        self._phrases = LiteralIndex(phrases)
        self.substrings = tuple(text for text, _term in phrases)

    @property
    def words(self) -> frozenset[str]:
        """The single-word terms, looked up as words."""
        return self._word_set

    def in_text(self, text: str) -> bool:
        """Does any term occur in ``text`` (single words as words, the rest as substrings; the
        exact test, word boundaries and all, is ``_words_found``)?"""
        if self._word_set and not self._word_set.isdisjoint(WORD.findall(text)):
            return True
        return self._phrases.in_text(text)

    def candidates(self, text: str) -> list[Term]:
        """The terms that occur in ``text`` as substrings, single words first."""
        found = [
            term
            for word in dict.fromkeys(WORD.findall(text))
            if word in self._word_set
            for term in self._words[word]
        ]
        return found + self._phrases.found(text)


@dataclass(frozen=True)
class TermList:
    """One language's terms, compiled."""

    language: str
    splitter: str  # how words are told apart: a name in skills.listening.words.SPLITTERS
    strips_accents: bool
    rude: TermIndex  # slurs, insults, swearing and mild insults
    targets: TermIndex
    threats: tuple[re.Pattern[str], ...]
    # Each threat pattern's literals (one of which its every match contains), by position;
    # patterns without such a literal are always tried.
    threat_cues: tuple[tuple[str, int], ...]
    threats_always: tuple[int, ...]
    calling: re.Pattern[str] | None
    safe: re.Pattern[str] | None


def file_name(language: str) -> str:
    """The data file's name for a language (``zh-Hant`` is ``zh_Hant``)."""
    return language.replace("-", "_")


class TermListError(RuntimeError):
    """A language's term list is missing or unreadable: the install is broken."""


def check_term_lists() -> None:
    """Load and compile every supported language's list now (they are kept), and check that
    its word splitter's analyser and dictionary are installed: raises ``TermListError`` for a
    list that is missing, unreadable or empty, or a splitter that is not installed. The
    analysers themselves load when a message first needs one (``skills.listening.words``):
    loaded here, Chinese and Japanese alone would hold about 40 MB in every process."""
    _first_look(SUPPORTED_LANGUAGES)
    for language in SUPPORTED_LANGUAGES:
        terms = term_list(language)
        try:
            SPLITTERS[terms.splitter].check_installed()
        except (ImportError, RuntimeError, OSError) as error:
            raise TermListError(
                f"the {language} abuse detector cannot split words ({terms.splitter}): {error}"
            ) from error


RUDE_KINDS = ("slurs", "insults", "profanity", "mild")


@cache
def term_list(language: str) -> TermList:
    """The compiled term list of ``language``; ``TermListError`` when its file is missing,
    unreadable, lists no terms or says something this code does not know (a detector that
    silently finds nothing is worse than none)."""
    source = TERMS / f"{file_name(language)}.toml"
    try:
        table = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TermListError(
            f"the {language} abuse term list {source} cannot be read: {error}"
        ) from error
    terms = table.get("terms", {})
    if not any(terms.get(kind) for kind in RUDE_KINDS):
        raise TermListError(f"the {language} abuse term list {source} lists no terms")
    splitter = table.get("matching", {}).get("words", "separated")
    if splitter not in SPLITTERS:
        raise TermListError(
            f"the {language} abuse term list {source} names an unknown way to split words: "
            f"{splitter!r} (one of {', '.join(SPLITTERS)})"
        )
    strips_accents = splitter == "separated"
    try:
        listed = {
            kind: [_term(entry, kind.rstrip("s"), strips_accents) for entry in terms.get(kind, [])]
            for kind in (*RUDE_KINDS, "targets", "safe")
        }
    except (TypeError, KeyError) as error:
        raise TermListError(
            f"the {language} abuse term list {source} has an entry that is blank, or neither a "
            f"string nor {{ term = ..., within_words = ... }}: {error}"
        ) from error
    threats = tuple(map(re.compile, terms.get("threats", [])))
    cues = [required_cues(pattern.pattern) for pattern in threats]
    by_word = splitter == "separated"
    mild = _alternation([term.text for term in listed["mild"]], bounded=False)
    frames = table.get("calling", {}).get("frames", [])
    return TermList(
        language=language,
        splitter=splitter,
        strips_accents=strips_accents,
        rude=TermIndex((term for kind in RUDE_KINDS for term in listed[kind]), by_word=by_word),
        targets=TermIndex(listed["targets"], by_word=by_word),
        threats=threats,
        threat_cues=tuple(
            (cue, position) for position, found in enumerate(cues) for cue in found or ()
        ),
        threats_always=tuple(position for position, found in enumerate(cues) if found is None),
        calling=(
            re.compile("|".join(f"(?:{frame.replace('{term}', mild)})" for frame in frames))
            if frames and mild
            else None
        ),
        safe=_compiled([term.text for term in listed["safe"]], bounded=by_word),
    )


def _term(entry: str | dict[str, object], kind: str, strips_accents: bool) -> Term:
    """A list entry: a string, or a table ``{ term = "…", within_words = true }``; one that
    is blank once normalized (it would match everywhere, or nowhere) is refused."""
    text = entry if isinstance(entry, str) else entry["term"]
    if not isinstance(text, str) or not _normalize(text, strips_accents).strip():
        raise TypeError(f"{entry!r}")
    within_words = not isinstance(entry, str) and bool(entry.get("within_words", False))
    return Term(_normalize(text, strips_accents), kind, within_words)


def detect(
    text: str,
    *,
    languages: Sequence[str] = SUPPORTED_LANGUAGES,
    extra_terms: Iterable[str] = (),
    allowed: Iterable[str] = (),
) -> Finding | None:
    """The first language whose terms find abuse in ``text``, with what matched; None when
    the message looks fine. ``extra_terms`` count as insults; ``allowed`` phrases are ignored."""
    # Control characters and lone surrogates go first: the analysers stop reading at a NUL
    # (a term after one would hide) and cannot encode a lone surrogate.
    unquoted = _QUOTED_LINE.sub(" ", _CODE.sub(" ", clean_text(text)))
    extra = tuple(term for term in extra_terms if term.strip())
    allow = tuple(phrase for phrase in allowed if phrase.strip())
    # Latin-script lists compare without accents; the others as written (two forms in all).
    forms = _normal_forms(unquoted)
    seen = _first_look(tuple(languages)).look(forms)
    for language in languages:
        if not (extra or seen.worth_a_look(language)):
            continue  # most messages: nothing of this language's lists is in them
        terms = term_list(language)
        form = forms[terms.strips_accents]
        tenant_terms = _extra_index(terms.strips_accents, terms.splitter, extra)
        term_seen = seen.term_seen(language) or tenant_terms.in_text(form)
        if not (term_seen or seen.worth_a_look(language)):
            continue
        tenant = TenantTerms(tenant_terms, _allowed(terms.strips_accents, terms.splitter, allow))
        threats = [terms.threats[position] for position in seen.threats(language)]
        finding = _detect_in(terms, unquoted, form, threats, term_seen, tenant)
        if finding is not None:
            return finding
    return None


@dataclass(frozen=True)
class TenantTerms:
    """A tenant's own additions to a language's list: extra insults, and allowed phrases."""

    extra: TermIndex
    allowed: re.Pattern[str] | None


@cache
def _first_look(languages: tuple[str, ...]) -> FirstLook:
    return FirstLook(
        Literals(
            language=terms.language,
            strips_accents=terms.strips_accents,
            words=terms.rude.words,
            substrings=terms.rude.substrings,
            threat_cues=terms.threat_cues,
            threats_always=terms.threats_always,
        )
        for terms in map(term_list, languages)
    )


@lru_cache(maxsize=256)
def _extra_index(strips_accents: bool, splitter: str, extra: tuple[str, ...]) -> TermIndex:
    """A tenant's extra terms, as insults matched like the language's own."""
    return TermIndex(
        (Term(_normalize(term, strips_accents), "insult") for term in extra),
        by_word=splitter == "separated",
    )


@lru_cache(maxsize=256)
def _allowed(
    strips_accents: bool, splitter: str, allowed: tuple[str, ...]
) -> re.Pattern[str] | None:
    """A tenant's allowed phrases, matched like the language's harmless phrases: as whole
    words where words are separated, so that taking one out never joins two others."""
    return _compiled(
        [_normalize(phrase, strips_accents) for phrase in allowed], bounded=splitter == "separated"
    )


def _detect_in(
    terms: TermList,
    text: str,
    normalized_text: str,
    threats: list[re.Pattern[str]],
    term_seen: bool,
    tenant: TenantTerms,
) -> Finding | None:
    # What the first look saw may be a common word that a threat needs ("have", "end"): a
    # message with no threat and no listed term stops here.
    if not (term_seen or _threat(threats, normalized_text, [])):
        return None
    # A threat is looked for in the text as written, so that taking a harmless phrase out
    # cannot make one ("dead wrong about" less "wrong about"); a match that overlaps a
    # harmless phrase does not count.
    threat = _threat(threats, normalized_text, _harmless_spans(terms, tenant, normalized_text))
    matches = [Match("threat", threat)] if threat else []
    for sentence in _SENTENCE.split(text):
        normalized = _cleaned(terms, tenant, _normalize(sentence, terms.strips_accents))
        if normalized.strip():
            matches += _sentence_matches(terms, tenant.extra, sentence, normalized)
    if not any(match.kind in ABUSIVE_KINDS for match in matches):
        return None
    category = "threat" if any(match.kind == "threat" for match in matches) else "abuse"
    return Finding(category, tuple(dict.fromkeys(matches)), terms.language)


def _threat(
    threats: list[re.Pattern[str]], text: str, harmless: list[tuple[int, int]]
) -> str | None:
    """The first match of ``threats`` (the patterns worth trying) in ``text`` that overlaps
    none of the ``harmless`` spans."""
    for pattern in threats:
        for found in pattern.finditer(text):
            start, end = found.span()
            if not any(start < stop and begin < end for begin, stop in harmless):
                return found.group(0)
    return None


def _harmless_spans(terms: TermList, tenant: TenantTerms, text: str) -> list[tuple[int, int]]:
    """Where the list's harmless phrases and the tenant's allowed ones are in ``text``."""
    return [
        found.span()
        for pattern in (terms.safe, tenant.allowed)
        if pattern is not None
        for found in pattern.finditer(text)
    ]


ABUSIVE_KINDS = frozenset({"threat", "slur", "insult", "profanity"})


def _sentence_matches(
    terms: TermList, extra: TermIndex, sentence: str, normalized: str
) -> list[Match]:
    """What one sentence contributes: slurs always; an insult when called of someone (a
    calling frame); insults and swearing when aimed (a target) or shouted."""
    found = terms.rude.candidates(normalized) + extra.candidates(normalized)
    if not found:
        return []
    boundaries = word_splitter(terms.splitter).boundaries(normalized)
    rude = _words_found(normalized, [term for term in found if term.kind != "mild"], boundaries)
    matches = [Match(term.kind, term.text) for term in rude if term.kind == "slur"]
    if terms.calling is not None and any(term.kind == "mild" for term in found):
        matches += [Match("insult", call.group(0)) for call in terms.calling.finditer(normalized)]
    aimable = [Match(term.kind, term.text) for term in rude if term.kind != "slur"]
    if not aimable:
        return matches
    targets = terms.targets.candidates(normalized)
    aimed = [Match("target", term.text) for term in _words_found(normalized, targets, boundaries)]
    if aimed:
        return matches + aimable + aimed
    if terms.splitter == "separated" and _shouted(sentence):
        return matches + aimable + [Match("shouted", clip(sentence.strip(), SHOUT_QUOTE))]
    return matches


def _words_found(text: str, candidates: list[Term], boundaries: Container[int]) -> list[Term]:
    """The candidates that occur in ``text`` as words (or, for ``within_words`` terms,
    anywhere), in the order they occur; where two overlap, the longer one (so "useless idiot"
    wins over "idiot" in the explanation)."""
    occurrences: list[tuple[int, int, Term]] = []
    for term in candidates:
        start = text.find(term.text)
        while start >= 0:
            end = start + len(term.text)
            if term.within_words or (start in boundaries and end in boundaries):
                occurrences.append((start, -end, term))
            start = text.find(term.text, start + 1)
    occurrences.sort(key=lambda found: (found[0], found[1]))
    chosen: list[Term] = []
    reached = 0
    for start, negative_end, term in occurrences:
        if start >= reached:
            chosen.append(term)
            reached = -negative_end
    return chosen


def _cleaned(terms: TermList, tenant: TenantTerms, text: str) -> str:
    """``text`` with the list's harmless phrases and the tenant's allowed ones taken out."""
    for pattern in (terms.safe, tenant.allowed):
        if pattern is not None:
            text = pattern.sub(" ", text)
    return text


def _normalize(text: str, strip_accents: bool) -> str:
    """The text as a list reads it: case folded and NFKC-normalized, and for Latin-script
    lists without accents (only the form asked for is made)."""
    if text.isascii():  # most text: both normal forms leave ASCII as it is
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _without_accents(folded) if strip_accents else folded


def _normal_forms(text: str) -> dict[bool, str]:
    """Both normal forms of a message, keyed by whether accents are stripped, from one NFKC
    pass (every language's list reads one of them)."""
    if text.isascii():
        lowered = text.lower()
        return {True: lowered, False: lowered}
    folded = unicodedata.normalize("NFKC", text).casefold()
    return {True: _without_accents(folded), False: folded}


def _without_accents(folded: str) -> str:
    # The accents of Latin letters go in one pass; any other mark (stacked on letters to hide
    # a word) character by character, when there is one.
    stripped = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", folded))
    if not COMBINING_MARKS.isdisjoint(stripped):
        stripped = "".join(char for char in stripped if char not in COMBINING_MARKS)
    return stripped


_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")
# Unicode has no combining mark past U+1E94A (a test checks it against this Python's data).
LAST_COMBINING_MARK = 0x1E94A
COMBINING_MARKS = frozenset(
    chr(code) for code in range(LAST_COMBINING_MARK + 1) if unicodedata.combining(chr(code))
)


def _shouted(sentence: str) -> bool:
    upper = sum(1 for char in sentence if char.isupper())
    cased = upper + sum(1 for char in sentence if char.islower())
    return cased >= SHOUTED_LETTERS and upper >= SHOUTED_SHARE * cased


def _alternation(terms: list[str], bounded: bool) -> str:
    if not terms:
        return ""
    # Longest first, so that the longest listed phrase is the one removed or named.
    body = "|".join(re.escape(term) for term in sorted(set(terms), key=len, reverse=True))
    return rf"(?<!\w)(?:{body})(?!\w)" if bounded else f"(?:{body})"


def _compiled(terms: list[str], bounded: bool) -> re.Pattern[str] | None:
    pattern = _alternation(terms, bounded)
    return re.compile(pattern) if pattern else None
