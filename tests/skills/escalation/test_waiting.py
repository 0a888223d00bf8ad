"""What waits on the managers: open escalations and disputes, each with its button."""

from skills.commands import AcknowledgeEscalation, ShowHome, ShowWaiting
from skills.replies import Actions, Button, ReplyKind
from tests.support.scenarios import escalation_and_dispute, new_client, paragraph_text
from tests.support.workspace import Workspace


def _buttons(reply_blocks: tuple[object, ...]) -> dict[str, Button]:
    return {
        button.label: button
        for block in reply_blocks
        if isinstance(block, Actions)
        for button in block.buttons
    }


async def test_the_escalation_and_the_dispute_are_listed_with_their_buttons(
    workspace: Workspace,
) -> None:
    first, second = await escalation_and_dispute(workspace)
    waiting = await workspace.say("/client waiting", as_user="maria")
    assert waiting.kind is ReplyKind.RESULT
    [escalation] = waiting.data["escalations"]
    [dispute] = waiting.data["disputes"]
    assert (escalation["trigger_incident_id"], escalation["acknowledged_by"]) == (second, None)
    assert (dispute["incident_id"], dispute["disputed_by"]) == (first, "ana")
    text = paragraph_text(waiting)
    # The client, since when, why, and nobody has seen it yet.
    assert "Acme Corp: over the threshold since Mar 2, 2026" in text
    assert f"Crossed with report #{second} · Mar 2, 2026 · Moving goalposts" in text
    assert "Nobody has acknowledged it yet." in text
    # Which strike, by whom, since when.
    assert "Acme Corp: a strike disputed since Mar 2, 2026" in text
    assert f"Ana disputes report #{first}: it was our bug" in text
    buttons = _buttons(waiting.blocks)
    assert set(buttons) == {"Decide", "Keep the strike", "Void the strike"}

    # Decide opens the decision's form for this escalation.
    form = await workspace.run(buttons["Decide"].command, as_user="maria")
    assert form.kind is ReplyKind.FORM
    assert form.data["form"] == "decision"

    # Acknowledged, it says by whom; voiding the disputed strike takes Acme back under the
    # threshold, so nothing waits any more.
    await workspace.run(AcknowledgeEscalation(str(escalation["id"])), as_user="maria")
    acknowledged = await workspace.say("/client waiting", as_user="maria")
    assert "Acknowledged by Maria on" in paragraph_text(acknowledged)
    await workspace.run(buttons["Void the strike"].command, as_user="maria")
    done = await workspace.run(ShowWaiting(), as_user="maria")
    assert (done.data["escalations"], done.data["disputes"]) == ([], [])
    assert paragraph_text(done) == "Nothing is waiting for a decision."


async def test_only_managers_see_it(workspace: Workspace) -> None:
    await escalation_and_dispute(workspace)
    staff = await workspace.say("/client waiting", as_user="ana")
    assert staff.kind is ReplyKind.REFUSED
    assert staff.data == {"refused": "waiting.show", "reason": "not_manager"}
    guest = await workspace.say("/client waiting", as_user="gus", is_guest=True)
    assert guest.kind is ReplyKind.REFUSED


async def test_in_the_managers_language(workspace: Workspace) -> None:
    first, _second = await escalation_and_dispute(workspace)
    waiting = await workspace.say("/client waiting", as_user="maria", locale="es")
    assert waiting.blocks[0].text == "Decisiones pendientes"  # type: ignore[union-attr]
    text = paragraph_text(waiting)
    assert "Acme Corp: supera el umbral desde el" in text
    assert f"Ana impugna el reporte #{first}: it was our bug" in text
    assert set(_buttons(waiting.blocks)) == {"Decidir", "Mantener la falta", "Anular la falta"}


async def test_a_long_list_is_paged(workspace: Workspace) -> None:
    # Eleven clients, each over the threshold at once with a red card.
    for number in range(11):
        name = f"Client {number:02}"
        await new_client(workspace, name)
        await workspace.say(f'/report-client "{name}" abuse shouted at Ana')
    first = await workspace.say("/client waiting", as_user="maria")
    assert (first.data["page"], first.data["pages"], first.data["waiting"]) == (1, 2, 11)
    assert len(first.data["escalations"]) == 10
    assert "Crossed with report" in paragraph_text(first)
    assert "Red card" in paragraph_text(first)
    second = await workspace.run(_buttons(first.blocks)["Next"].command, as_user="maria")
    assert second.data["page"] == 2
    [last] = second.data["escalations"]
    assert "Client 10: over the threshold since" in paragraph_text(second)
    assert last["id"] not in {item["id"] for item in first.data["escalations"]}


async def test_app_home_shows_the_same_list_to_managers_only(workspace: Workspace) -> None:
    await escalation_and_dispute(workspace)
    waiting = await workspace.say("/client waiting", as_user="maria")
    home = await workspace.run(ShowHome(), as_user="maria")
    assert home.data["waiting_escalation_ids"] == [
        item["id"] for item in waiting.data["escalations"]
    ]
    for block in waiting.blocks:
        assert block in home.blocks
    staff_home = await workspace.run(ShowHome(), as_user="ana")
    assert staff_home.data["waiting_escalation_ids"] == []
    assert "Decide" not in _buttons(staff_home.blocks)
