"""Signed button values: a quoted message in any script stays in the button when it fits."""

import dataclasses

from bot.buttons import INLINE, ButtonCodec
from skills.commands import ReportIncident
from skills.replies import Actions, Button, Reply, ReplyKind
from tests.support.workspace import Workspace

# 300 characters of Japanese: what an abuse note quotes of a flagged message at most.
QUOTED = ("お前たちは本当に役立たずだ。" * 25)[:300]


async def test_a_report_quoting_300_japanese_characters_stays_in_the_button(
    workspace: Workspace,
) -> None:
    report = ReportIncident(
        client="client-id:1",
        category="abuse",
        evidence_text=QUOTED,
        evidence_author="山田太郎",
        evidence_link="https://example.slack.com/archives/C1/p1700000000000100",
        evidence_written_at="2026-03-02T09:00:00+00:00",
    )
    button = Button("Report as abuse", report)
    reply = Reply(ReplyKind.RESULT, (Actions((button,)),))
    codec = ButtonCodec(workspace.services, b"test-key")
    ana = workspace.person("ana")
    value = (await codec.values(reply, ana))[button]
    assert value.startswith(INLINE)  # not parked in the database
    decoded = await codec.command(value, ana)
    # The button gave the report its idempotency key when it was drawn.
    assert isinstance(decoded, ReportIncident)
    assert dataclasses.replace(decoded, idempotency_key=None) == report
