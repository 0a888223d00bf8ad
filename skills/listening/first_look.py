"""The detector's first look at a message: which languages' lists could find anything in it
at all, and which of their threat patterns are worth trying. Nearly every message in a support
channel holds no listed term, and this is all the work it costs: one Aho-Corasick pass
(``pyahocorasick``, in C) over each normal form of the text for every language's literals at
once, and a set lookup of its words.

It may say yes where the exact matching then finds nothing (a term inside a longer word, a
harmless phrase, a common word a threat needs); it never says no where the exact matching would
find something.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick

from skills.listening.words import WORD


@dataclass(frozen=True)
class Literals:
    """What one language's list needs to see before it looks closer."""

    language: str
    strips_accents: bool  # which normal form of the text it reads
    words: frozenset[str]  # single words, matched as words (space-separated scripts)
    substrings: tuple[str, ...]  # everything else, matched anywhere
    # Each threat pattern's literals (one of which its every match contains), by the
    # pattern's position in the list; a pattern without any is always worth trying.
    threat_cues: tuple[tuple[str, int], ...] = ()
    threats_always: tuple[int, ...] = ()


TERM = -1  # in a look's result: a listed term (not a threat pattern) may be there


@dataclass
class Look:
    """What the first look saw: per language, the positions of the threat patterns worth
    trying, and ``TERM`` when a listed term may be there."""

    hits: dict[str, set[int]]

    def worth_a_look(self, language: str) -> bool:
        """Could ``language``'s list find anything?"""
        return language in self.hits

    def term_seen(self, language: str) -> bool:
        """Might a listed term of ``language`` be in the message?"""
        return TERM in self.hits.get(language, ())

    def threats(self, language: str) -> list[int]:
        """The threat patterns of ``language`` worth trying, in the list's order."""
        return sorted(hit for hit in self.hits.get(language, ()) if hit != TERM)


class FirstLook:
    """Which of several languages' lists might match a message."""

    def __init__(self, lists: Iterable[Literals]) -> None:
        lists = list(lists)
        self._always = {listed.language: set(listed.threats_always) for listed in lists}
        self._always = {language: hits for language, hits in self._always.items() if hits}
        literals: dict[bool, dict[str, set[tuple[str, int]]]] = {}
        words: dict[bool, dict[str, set[tuple[str, int]]]] = {}
        for listed in lists:
            form = literals.setdefault(listed.strips_accents, {})
            for literal in listed.substrings:
                form.setdefault(literal, set()).add((listed.language, TERM))
            for cue, pattern in listed.threat_cues:
                form.setdefault(cue, set()).add((listed.language, pattern))
            for word in listed.words:
                words.setdefault(listed.strips_accents, {}).setdefault(word, set()).add(
                    (listed.language, TERM)
                )
        # The automata hold a number per literal; what each number means is kept aside, so
        # that a literal seen ten times costs one lookup. A pass costs more where the
        # automaton starts with thousands of characters (Han, kana), so literals starting
        # with ASCII get an automaton of their own, and a text holding none of an automaton's
        # first characters skips it: an English message never walks the Japanese one.
        self._meanings: list[tuple[tuple[str, int], ...]] = []
        self._automata: list[tuple[bool, frozenset[str], ahocorasick.Automaton]] = []
        for strips_accents, found in literals.items():
            for ascii_start in (True, False):
                part = {
                    literal: hits
                    for literal, hits in found.items()
                    if literal[0].isascii() == ascii_start
                }
                if part:
                    automaton = ahocorasick.Automaton()
                    for literal, hits in part.items():
                        automaton.add_word(literal, len(self._meanings))
                        self._meanings.append(tuple(hits))
                    automaton.make_automaton()
                    starts = frozenset(literal[0] for literal in part)
                    self._automata.append((strips_accents, starts, automaton))
        self._words = {
            strips_accents: {word: tuple(hits) for word, hits in found.items()}
            for strips_accents, found in words.items()
        }

    def look(self, forms: Mapping[bool, str]) -> Look:
        """What might match, given the text in each normal form (keyed by whether accents
        were stripped)."""
        hits = {language: set(always) for language, always in self._always.items()}
        meanings: list[tuple[tuple[str, int], ...]] = []
        for strips_accents, starts, automaton in self._automata:
            text = forms[strips_accents]
            if not starts.isdisjoint(text):
                seen = {literal for _end, literal in automaton.iter(text)}
                meanings += [self._meanings[literal] for literal in seen]
        for strips_accents, words in self._words.items():
            found = words.keys() & set(WORD.findall(forms[strips_accents]))
            meanings += [words[word] for word in found]
        for meaning in meanings:
            for language, hit in meaning:
                hits.setdefault(language, set()).add(hit)
        return Look(hits)
