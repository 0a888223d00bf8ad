"""The reporter's undo (five minutes, theirs only) and evidence added later (once per key)."""

from skills.commands import AddEvidence, UndoReport
from skills.replies import ReplyKind
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def _filed(ws: Workspace) -> str:
    await new_client(ws)
    reply = await ws.say('/report-client "Acme Corp" scope_creep one more dashboard')
    return str(reply.data["incident_id"])


async def test_undo_within_five_minutes(workspace: Workspace) -> None:
    report = await _filed(workspace)
    workspace.clock.advance(minutes=3)
    undone = await workspace.run(UndoReport(report))
    assert undone.data["client"]["active_strikes"] == 0


async def test_undo_after_five_minutes_is_for_managers(workspace: Workspace) -> None:
    report = await _filed(workspace)
    workspace.clock.advance(minutes=5)
    late = await workspace.run(UndoReport(report))
    assert late.data["error"] == "undo_expired"


async def test_only_the_reporter_can_undo(workspace: Workspace) -> None:
    report = await _filed(workspace)
    other = await workspace.run(UndoReport(report), as_user="tom")
    assert other.data["error"] == "unknown_incident"
    manager = await workspace.run(UndoReport(report), as_user="maria")
    assert manager.data["error"] == "unknown_incident"


async def test_evidence_is_added_once_per_submission(workspace: Workspace) -> None:
    report = await _filed(workspace)
    command = AddEvidence(
        report, evidence_link="https://example.com/thread/1", idempotency_key="slack:view:V9"
    )
    first = await workspace.run(command)
    again = await workspace.run(command)
    assert first.data["evidence_id"] == again.data["evidence_id"]
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert [row["link"] for row in export["evidence"]] == ["https://example.com/thread/1"]
    added = [event for event in export["audit"] if event["action"] == "evidence.added"]
    assert len(added) == 1


async def test_evidence_needs_something_and_is_for_reporter_or_managers(
    workspace: Workspace,
) -> None:
    report = await _filed(workspace)
    empty = await workspace.run(AddEvidence(report))
    assert empty.kind is ReplyKind.FORM
    stranger = await workspace.run(
        AddEvidence(report, evidence_link="https://example.com/x"), as_user="tom"
    )
    assert stranger.kind is ReplyKind.REFUSED
    manager = await workspace.run(
        AddEvidence(report, evidence_text="quoted", evidence_author="Bob"), as_user="maria"
    )
    assert manager.kind is ReplyKind.RESULT
