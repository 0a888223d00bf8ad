"""What people send, cleaned once where every command comes in (``skills.dispatch.handle``).

Control characters (Unicode category Cc) have no place in a name, a reason or a report: a NUL
makes PostgreSQL refuse the whole statement, and the others garble what managers read later.
Newlines and tabs stay. The control characters that break lines (a carriage return, alone or
before a newline, as Windows and old Macs write them; vertical tab, form feed, the record
separators and NEL, which ``str.splitlines`` also reads as line breaks) become newlines, so
pasted text keeps its lines. Lone surrogates (category Cs), which JSON can carry as ``\\ud800``
escapes, go too: they cannot be encoded as UTF-8, which both databases need. So do Unicode's
noncharacters U+FDD0 to U+FDEF, kept for a program's own use: two of them mark the people a
reply names (``skills/text/mentions.py``), and nobody may forge such a mark.
"""

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, cast

# Line breaks first, the CR-LF pair before a lone CR so that it becomes one newline, not two.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85]")
_KEPT = {"\n", "\t"}
# Category Cc is U+0000 to U+001F and U+007F to U+009F, Cs U+D800 to U+DFFF; computed rather
# than typed out. Then the noncharacters (not printable either, so the quick check below holds).
_DROPPED_CODES = [
    code
    for code in [*range(0xA0), *range(0xD800, 0xE000)]
    if unicodedata.category(chr(code)) in {"Cc", "Cs"} and chr(code) not in _KEPT
] + list(range(0xFDD0, 0xFDF0))


def _character_class(codes: list[int]) -> str:
    """A regular expression's class of these code points, as ranges (``codes`` ascending)."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges) + "]"


# A regular expression rather than str.translate: on text that is not ASCII, translate looks
# each character up in a dict, ten times slower on a 40,000-character message.
_DROPPED = re.compile(_character_class(_DROPPED_CODES))


def clean_text(text: str) -> str:
    """``text`` without control characters: line breaks become newlines, tabs stay, the rest
    (NUL among them), lone surrogates and the noncharacters that mark mentions are removed."""
    if text.isprintable():
        # Most text: everything this changes is a control character or a surrogate, and
        # neither is printable, so there is nothing to do (one pass in C instead of two).
        return text
    return _DROPPED.sub("", _LINE_BREAKS.sub("\n", text))


def cleaned[T](value: T) -> T:
    """``value`` with every text in it cleaned (``clean_text``): a string, or the strings in
    a tuple, list, mapping (keys too) or dataclass, at any depth. Other values are returned
    as they are, and so are strings of a subclass (an enum's value is the program's text)."""
    given: Any = value  # exact type checks below, which a type variable does not narrow
    result: Any
    if type(given) is str:
        result = clean_text(given)
    elif type(given) is tuple:
        result = tuple(cleaned(item) for item in given)
    elif type(given) is list:
        result = [cleaned(item) for item in given]
    elif isinstance(value, Mapping):
        result = {cleaned(key): cleaned(item) for key, item in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: cleaned(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        result = dataclasses.replace(value, **changes)
    else:
        result = value
    return cast(T, result)
