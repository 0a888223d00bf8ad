"""One report in full (``/client report <report>``): every word of its details and of every
piece of its evidence, in pages that fit, with the reporter hidden as everywhere else."""

import uuid

from skills.commands import AddEvidence, ReportIncident, ShowReport
from skills.core.tenancy import ensure_tenant
from skills.replies import Actions, Facts, Paragraph, Reply, ReplyKind
from skills.text.limits import PARAGRAPH_LIMIT, REPLY_TEXT_LIMIT
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace

LINK = "https://example.slack.com/archives/C1/p1764000000000100"


async def _report_with_evidence(ws: Workspace, details: str, quote: str) -> int:
    await new_client(ws)
    filed = await ws.run(
        ReportIncident(
            "Acme Corp",
            "scope_creep",
            details,
            evidence_link=LINK,
            evidence_text=quote,
            evidence_author="Bob Client",
            evidence_written_at="2026-03-01T14:03",
        )
    )
    return int(filed.data["incident_id"])


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }


def _texts(reply: Reply) -> list[str]:
    return [block.text for block in reply.blocks if isinstance(block, Paragraph)]


async def test_the_whole_report_has_every_detail_and_every_piece_of_evidence(
    workspace: Workspace,
) -> None:
    details = "Asked for a third dashboard, then a fourth. " * 40  # 1,760 characters
    report = await _report_with_evidence(workspace, details, "just add it, it's tiny")
    await workspace.run(
        AddEvidence(str(report), evidence_text="and one more for the board", evidence_author="Bob")
    )
    whole = await workspace.say(f"/client report #{report}", as_user="maria")
    assert whole.kind is ReplyKind.RESULT
    assert whole.data["evidence"] == 2
    text = paragraph_text(whole)
    assert details.strip() in text
    assert "Evidence: “just add it, it's tiny”" in text
    assert "written by Bob Client, Mar 1, 2026, 2:03" in text
    assert f"PM · {LINK}" in text
    assert "written by Bob · added Mar 2, 2026" in text
    assert "Evidence: “and one more for the board”" in text
    assert set(_facts(whole)) >= {"Category", "Severity", "When it happened", "Filed"}


async def test_the_reporter_is_named_to_managers_and_themselves_only(workspace: Workspace) -> None:
    report = await _report_with_evidence(workspace, "wants more", "more please")
    facts = {}
    for person in ("ana", "maria", "tom"):
        reply = await workspace.run(ShowReport(str(report)), as_user=person)
        facts[person] = _facts(reply)
        assert reply.data["report"]["reporter"] == (None if person == "tom" else "ana")
    assert "by Ana" in facts["ana"]["Filed"]
    assert "by Ana" in facts["maria"]["Filed"]
    assert "by a teammate" in facts["tom"]["Filed"]


async def test_a_long_quote_comes_in_pages_that_fit_every_surface(workspace: Workspace) -> None:
    quote = "".join(f"line {number} of what the client wrote.\n" for number in range(1000))
    report = await _report_with_evidence(workspace, "shouted at the team", quote)
    pages = []
    reply = await workspace.run(ShowReport(str(report)))
    while True:
        pages.append(reply)
        texts = _texts(reply)
        assert all(len(text) <= PARAGRAPH_LIMIT for text in texts)
        assert sum(len(text) for text in texts if not text.startswith("Page ")) <= REPLY_TEXT_LIMIT
        following = [
            button.command
            for block in reply.blocks
            if isinstance(block, Actions)
            for button in block.buttons
            if button.label == "Next"
        ]
        if not following:
            break
        reply = await workspace.run(following[0])
    assert len(pages) == pages[0].data["pages"] > 1
    read = "\n".join(text for page in pages for text in _texts(page))
    assert all(f"line {number} of what the client wrote." in read for number in range(1000))


async def test_an_unknown_report_or_another_workspaces_is_an_error(
    workspace: Workspace,
) -> None:
    report = await _report_with_evidence(workspace, "wants more", "more please")
    elsewhere = Workspace(workspace.services, workspace.clock, f"test:{uuid.uuid4().hex[:10]}")
    await ensure_tenant(
        workspace.services,
        tenant_id=elsewhere.tenant_id,
        platform="local",
        founder=elsewhere.person("olga"),
    )
    for reply in (
        await elsewhere.run(ShowReport(str(report)), as_user="olga"),
        await workspace.run(ShowReport(str(report + 1000))),
        await workspace.run(ShowReport("twelve")),
    ):
        assert reply.kind is ReplyKind.ERROR
        assert reply.data == {"error": "unknown_incident"}
        assert "There is no report" in paragraph_text(reply)
        assert "more please" not in paragraph_text(reply)


async def test_the_whole_report_in_japanese(workspace: Workspace) -> None:
    report = await _report_with_evidence(workspace, "追加のダッシュボードを要求", "すぐ追加して")
    whole = await workspace.say(f"/client report {report}", as_user="maria", locale="ja")
    text = paragraph_text(whole)
    assert "「すぐ追加して」" in text
    assert "追加のダッシュボードを要求" in text
