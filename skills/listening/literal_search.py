"""Finding many literal strings in a short text fast, and the literals a regular expression
cannot match without (so most messages skip the expression altogether).

Read off the parsed pattern (``re._parser``, the standard library's own parser; the project
pins Python 3.12). Tested against the full match on every labelled message, so a cue that
would hide a match fails the suite rather than the detector.
"""

from collections.abc import Iterable
from operator import itemgetter
from re import _constants as opcodes  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any


class LiteralIndex[T]:
    """Literal strings, each with a value, indexed by their first character: looking them up
    tests only the strings whose first character the text has, not every string."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._by_first: dict[str, list[tuple[int, str, T]]] = {}
        for order, (literal, value) in enumerate(entries):
            if literal:
                self._by_first.setdefault(literal[0], []).append((order, literal, value))
        self._first_characters = frozenset(self._by_first)

    def in_text(self, text: str) -> bool:
        """Does any of the literals occur in ``text``?"""
        return any(
            literal in text
            for char in self._first_characters.intersection(text)
            for _order, literal, _value in self._by_first[char]
        )

    def found(self, text: str) -> list[T]:
        """The values of the literals that occur in ``text``, in the order they were given
        (sets iterate in an order that changes with every process)."""
        # The intersection runs in C: a text in another script costs no Python step at all.
        found = [
            (order, value)
            for char in self._first_characters.intersection(text)
            for order, literal, value in self._by_first[char]
            if literal in text
        ]
        found.sort(key=itemgetter(0))
        return [value for _order, value in found]


def required_cues(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains; None when none can be told."""
    cues = _required(list(_parser.parse(pattern)))
    return tuple(cues) if cues else None


# How many strings a run of alternatives may multiply into before it is cut: "(打|揍|砍)(死|爆)
# (你|妳)" is 12 three-character cues, far rarer in text than 打 or 死 alone.
MAX_COMBINED_CUES = 64


def _required(items: list[tuple[Any, Any]]) -> list[str] | None:
    best: list[str] | None = None

    def consider(candidates: list[str] | None) -> None:
        nonlocal best
        longer = best is None or (
            bool(candidates) and min(map(len, candidates or [""])) > min(map(len, best))
        )
        if candidates and all(candidates) and longer:
            best = candidates

    # The strings the items read so far end with, one of which every match contains.
    run = [""]
    for op, value in items:
        fixed = _fixed([(op, value)])
        if fixed is not None and len(run) * len(fixed) <= MAX_COMBINED_CUES:
            run = [start + end for start in run for end in fixed]
            continue
        consider(run)
        run = fixed or [""]
        if fixed is not None:
            continue
        if op is opcodes.SUBPATTERN:
            consider(_required(list(value[3])))
        elif op is opcodes.BRANCH:
            options = [_required(list(branch)) for branch in value[1]]
            if all(option is not None for option in options):
                consider([cue for option in options if option for cue in option])
        elif op in (opcodes.MAX_REPEAT, opcodes.MIN_REPEAT) and value[0] >= 1:
            consider(_required(list(value[2])))
    consider(run)
    return best


def _fixed(items: list[tuple[Any, Any]]) -> list[str] | None:
    """Every string ``items`` can match, when they are few and fixed (literals, classes of
    literals, groups and alternations of those); None otherwise."""
    strings = [""]
    for op, value in items:
        if op is opcodes.LITERAL:
            options = [chr(value)]
        elif op is opcodes.IN and all(member[0] is opcodes.LITERAL for member in value):
            options = [chr(member[1]) for member in value]
        elif op is opcodes.SUBPATTERN:
            found = _fixed(list(value[3]))
            if found is None:
                return None
            options = found
        elif op is opcodes.BRANCH:
            branches = [_fixed(list(branch)) for branch in value[1]]
            if any(branch is None for branch in branches):
                return None
            options = [string for branch in branches for string in branch or ()]
        else:
            return None
        strings = [start + end for start in strings for end in options]
        if len(strings) > MAX_COMBINED_CUES:
            return None
    return strings
