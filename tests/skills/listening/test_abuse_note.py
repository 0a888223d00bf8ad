"""The private note about an abusive message: what matched, quoted and listed the way the
reader's language does it."""

import re

import pytest

from skills.commands import ReportIncident
from skills.core.context import Actor
from skills.listening.abuse import Finding, Match
from skills.listening.abuse_note import abuse_note
from skills.replies import Paragraph

FINDING = Finding(
    category="abuse", matches=(Match("insult", "バカ"), Match("target", "お前")), language="ja"
)


@pytest.mark.parametrize(
    ("locale", "pattern"),
    [
        ("en", r"\(insult “バカ” and aimed at “お前”\)"),
        # The labels are the translators' words; the marks and the list's joint are the code's.
        ("ja", r"（\w+「バカ」、\w+「お前」）"),
    ],
)
def test_the_matches_are_quoted_and_listed_in_the_readers_language(
    locale: str, pattern: str
) -> None:
    reader = Actor("tenant", "maria", "María", locale=locale)
    note = abuse_note(reader, "en", "山田", FINDING, ReportIncident())
    [paragraph] = [block for block in note.blocks if isinstance(block, Paragraph)]
    assert re.search(pattern, paragraph.text), paragraph.text
