"""The private note about an abusive message: what matched, quoted and listed the way the
reader's language does it."""

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
    ("locale", "matched"),
    [
        ("en", "(insult “バカ” and aimed at “お前”)"),
        ("ja", "（侮辱語「バカ」、対象「お前」）"),
    ],
)
def test_the_matches_are_quoted_and_listed_in_the_readers_language(
    locale: str, matched: str
) -> None:
    reader = Actor("tenant", "maria", "María", locale=locale)
    note = abuse_note(reader, "en", "山田", FINDING, ReportIncident())
    [paragraph] = [block for block in note.blocks if isinstance(block, Paragraph)]
    assert matched in paragraph.text
