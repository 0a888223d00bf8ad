"""Disputes: the account owner disputes a strike, and managers keep or void it."""

from skills.commands import ResolveDispute
from skills.replies import ReplyKind
from tests.support.scenarios import cross, paragraph_text
from tests.support.workspace import Workspace


async def test_the_owner_disputes_and_a_manager_voids_the_strike(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    refused = await workspace.say(f"/client dispute {first} it was our bug", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    owner = await workspace.say('/client owner "Acme Corp" <@ana|Ana>', as_user="maria")
    assert owner.data["owner"] == "ana"
    # Changed back and forth, each change refreshes the managers' copies.
    await workspace.say('/client owner "Acme Corp" bob', as_user="maria")
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    export = await workspace.say('/client export "Acme Corp"', as_user="maria")
    refreshes = [
        row for row in export.data["export"]["outbox"] if ":refresh:owner:" in row["dedupe_key"]
    ]
    assert len(refreshes) == 3
    filed = await workspace.say(f"/client dispute #{first} it was our bug", as_user="ana")
    assert filed.kind is ReplyKind.RESULT
    again = await workspace.say(f"/client dispute {first} really", as_user="ana")
    assert again.data["error"] == "already_disputed"

    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert card.data["open_disputes"] == [first]
    assert f"Ana disputes report #{first}: it was our bug" in paragraph_text(card)

    dispute_id = str(filed.data["dispute_id"])
    staff = await workspace.run(ResolveDispute(dispute_id, "void"), as_user="ana")
    assert staff.kind is ReplyKind.REFUSED
    voided = await workspace.run(ResolveDispute(dispute_id, "void"), as_user="maria")
    assert voided.data["client"]["state"] == "watch"
    late = await workspace.run(ResolveDispute(dispute_id, "keep"), as_user="maria")
    assert "answered already" in paragraph_text(late)
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert card.data["open_disputes"] == []


async def test_kept_strikes_stay_and_a_note_cannot_be_disputed(workspace: Workspace) -> None:
    first, second = await cross(workspace)
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    filed = await workspace.say(f"/client dispute {second} not fair", as_user="ana")
    kept = await workspace.run(
        ResolveDispute(str(filed.data["dispute_id"]), "keep"), as_user="maria"
    )
    assert f"#{second} stays a strike" in paragraph_text(kept)
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "threshold"
    missing = await workspace.say("/client dispute", as_user="ana")
    assert missing.data["form"] == "dispute"
    note = await workspace.say('/report-client "Acme Corp" expectation_mismatch wants an app')
    not_a_strike = await workspace.say(
        f"/client dispute {note.data['incident_id']} x", as_user="ana"
    )
    assert not_a_strike.data["error"] == "not_a_strike"
    assert first != second
