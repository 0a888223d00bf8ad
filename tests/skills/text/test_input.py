"""The cleaning every command gets where it comes in: which characters go, which stay."""

import pytest

from skills.commands import AssessmentStep, ReportIncident
from skills.replies import ReplyKind
from skills.text.input import _DROPPED, _LINE_BREAKS, clean_text, cleaned


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("a\x00b", "ab"),
        ("bell\x07, escape\x1b[31m, delete\x7f", "bell, escape[31m, delete"),
        ("C1\x80\x9f controls", "C1 controls"),
        ("windows\r\nlines", "windows\nlines"),
        ("old mac\rlines", "old mac\nlines"),
        ("two\r\n\r\nparagraphs", "two\n\nparagraphs"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("page\x0cbreak, vertical\x0btab, NEL\x85end", "page\nbreak, vertical\ntab, NEL\nend"),
        ("half\ud800 a character", "half a character"),
        # The marks of a reply's mentions: nobody may type one.
        ("ask \ufdd0U123\ufdd1 and \ufdef", "ask U123 and "),
        # Not control characters: kept as they are.
        ("line\u2028separator, zero\u200bwidth, café, 台積電 🙂", None),
    ],
)
def test_clean_text(sent: str, kept: str | None) -> None:
    assert clean_text(sent) == (sent if kept is None else kept)


def test_every_text_in_a_command_is_cleaned_at_any_depth() -> None:
    step = AssessmentStep("dialog\x00", 2, "next\x07", (("revenue\x00", "30\x0000"),))
    assert cleaned(step) == AssessmentStep("dialog", 2, "next", (("revenue", "3000"),))
    report = ReportIncident("Acme\x00", details="a\r\nb", create_client=True)
    assert cleaned(report) == ReportIncident("Acme", details="a\nb", create_client=True)


def test_mappings_lists_and_other_values() -> None:
    values = {"client\x00": "Acme\x00", "answers": [("q\x01", "a\x02")], "page": 2, "ok": True}
    assert cleaned(values) == {"client": "Acme", "answers": [("q", "a")], "page": 2, "ok": True}
    assert cleaned(None) is None
    # An enum's value is the program's text, not a person's: left alone, type and all.
    assert cleaned(ReplyKind.ERROR) is ReplyKind.ERROR


def test_printable_text_is_left_as_it_is() -> None:
    # clean_text returns printable text at once: it rests on no character its patterns
    # change being printable.
    changed = [
        chr(code)
        for code in range(0x10000)
        if _DROPPED.search(chr(code)) or _LINE_BREAKS.search(chr(code))
    ]
    assert "\x00" in changed
    assert "\ufdd0" in changed
    assert not any(char.isprintable() for char in changed)
