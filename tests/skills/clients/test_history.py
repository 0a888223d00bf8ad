"""A client's timeline: the reporter is named to managers and to themselves only, and it
comes in pages."""

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
