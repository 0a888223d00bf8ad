"""The policy applied as time passes: strikes expire after the window, and a crossing after
they did opens a new escalation."""

from tests.support.scenarios import cross, paragraph_text
from tests.support.workspace import Workspace


async def test_strikes_expire_after_the_window(workspace: Workspace) -> None:
    await cross(workspace)
    workspace.clock.advance(days=179)
    assert (await workspace.say('/client "Acme Corp"')).data["client"]["state"] == "threshold"
    workspace.clock.advance(days=1)
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "ok"
    assert card.data["client"]["active_strikes"] == 0


async def test_a_red_after_the_old_strikes_expired_opens_a_new_escalation(
    workspace: Workspace,
) -> None:
    await cross(workspace)
    workspace.clock.advance(days=200)
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "ok"
    assert card.data["escalation_id"] is None
    red = await workspace.say('/report-client "Acme Corp" abuse threatened Ana on the phone')
    assert red.data["escalation_opened"] is True
    assert [message["recipient"] for message in red.data["outbox"]] == ["maria"]
    history = await workspace.say('/client history "Acme Corp"', as_user="maria")
    assert "as strikes expired" in paragraph_text(history)
    assert "after a report was voided" not in paragraph_text(history)
