"""A client's timeline: each report with its details and evidence, the reporter named to
managers and to themselves only, in pages."""

from skills.commands import AddEvidence, ReportIncident
from skills.replies import Actions
from tests.support.scenarios import cross, new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_reporter_is_named_to_managers_and_themselves_only(workspace: Workspace) -> None:
    await cross(workspace)
    history = await workspace.say('/client history "Acme Corp"', as_user="ana")
    assert "by Ana" in paragraph_text(history)
    teammate = await workspace.say('/client history "Acme Corp"', as_user="tom")
    assert "by Ana" not in paragraph_text(teammate)
    assert "a teammate" in paragraph_text(teammate)
    assert all(
        item["reporter"] is None
        for item in (await workspace.say('/client "Acme Corp"', as_user="tom")).data["recent"]
    )
    manager = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert {item["reporter"] for item in manager.data["recent"]} == {"ana"}


async def test_history_pages(workspace: Workspace) -> None:
    await new_client(workspace)
    for number in range(12):
        await workspace.say(f'/report-client "Acme Corp" expectation_mismatch wish {number}')
    first = await workspace.say('/client history "Acme Corp"')
    assert (first.data["page"], first.data["pages"]) == (1, 2)
    assert len(first.data["entries"]) == 10
    second = await workspace.say('/client history "Acme Corp" 2')
    assert len(second.data["entries"]) == 3  # 13 reports in all


async def test_history_times_are_to_the_minute(workspace: Workspace) -> None:
    await cross(workspace)
    history = await workspace.say('/client history "Acme Corp"', as_user="maria", locale="es")
    lines = paragraph_text(history).splitlines()
    # The fake clock starts on Monday 2 March 2026, 09:00 UTC, and moves a minute per command.
    assert lines[0].startswith("2 mar 2026, 9:0")
    assert all(line.split(" — ")[0].count(":") == 1 for line in lines)


async def test_each_report_shows_its_details_and_evidence(workspace: Workspace) -> None:
    await new_client(workspace)
    filed = await workspace.run(
        ReportIncident(
            "Acme Corp",
            "scope_creep",
            "Asked for a third dashboard at no cost",
            evidence_text="just add it, it's tiny " * 20,
            evidence_author="Bob Client",
        )
    )
    report = filed.data["incident_id"]
    await workspace.run(AddEvidence(str(report), evidence_link="https://example.com/t/1"))
    history = await workspace.say('/client history "Acme Corp"', as_user="tom")
    text = paragraph_text(history)
    assert f"— #{report} · " in text
    assert "by a teammate" in text
    assert "Details: Asked for a third dashboard at no cost" in text
    assert "Evidence: “just add it, it's tiny" in text
    assert "written by Bob Client" in text
    assert "1 more piece of evidence" in text
    buttons = [b for block in history.blocks if isinstance(block, Actions) for b in block.buttons]
    assert [button.label for button in buttons] == [f"Read report #{report} in full"]
    whole = await workspace.run(buttons[0].command, as_user="tom")
    assert "Evidence: https://example.com/t/1" in paragraph_text(whole)
    assert "by Ana" not in paragraph_text(whole)

    japanese = await workspace.say('/client history "Acme Corp"', as_user="maria", locale="ja")
    assert "「just add it" in paragraph_text(japanese)
