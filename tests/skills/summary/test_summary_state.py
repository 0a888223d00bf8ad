"""The summary's riskiest clients are in the state the card shows, derived from the strikes
active now, not the state stored at the last event: strikes expire by time passing."""

from skills.commands import ShowClient
from skills.replies import Facts, Reply
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace


def _card_state(card: Reply) -> str:
    """The label of the card's "State" fact."""
    [label] = [
        fact.value
        for block in card.blocks
        if isinstance(block, Facts)
        for fact in block.items
        if fact.label == "State"
    ]
    return label


async def test_a_strike_that_expires_with_no_event_changes_the_summarys_state(
    workspace: Workspace,
) -> None:
    ws = workspace
    await new_client(ws)
    await ws.say('/report-client "Acme Corp" scope_creep extra dashboards')
    ws.clock.advance(days=100)
    crossed = await ws.say('/report-client "Acme Corp" moving_goalposts changed the brief again')
    assert crossed.data["client"]["state"] == "threshold"
    # The first strike's window (180 days) ends; nothing is recorded, so the stored state stays.
    ws.clock.advance(days=81)

    card = await ws.run(ShowClient("Acme Corp"), as_user="maria")
    assert (card.data["client"]["state"], card.data["client"]["active_strikes"]) == ("watch", 1)
    assert _card_state(card) == "On watch"

    summary = await ws.say("/client summary preview", as_user="maria")
    [acme] = summary.data["riskiest"]
    assert (acme["strikes"], acme["reds"], acme["trend"]) == (1, 0, -1)
    assert "Acme Corp: 1 active strike (0 red cards), ↓ -1, On watch" in paragraph_text(summary)
    assert acme["state"] == card.data["client"]["state"]


async def test_a_decision_stands_in_the_summary_as_on_the_card(workspace: Workspace) -> None:
    """A decision stands until a strike is recorded after it, however the strikes expire."""
    ws = workspace
    await new_client(ws)
    await ws.say('/report-client "Acme Corp" scope_creep extra dashboards')
    ws.clock.advance(days=100)
    await ws.say('/report-client "Acme Corp" moving_goalposts changed the brief again')
    await ws.say('/client decide "Acme Corp" keep_on_terms new contract', as_user="maria")
    ws.clock.advance(days=81)

    card = await ws.run(ShowClient("Acme Corp"), as_user="maria")
    summary = await ws.say("/client summary preview", as_user="maria")
    [acme] = summary.data["riskiest"]
    assert acme["state"] == card.data["client"]["state"] == "keep_on_terms"
    assert f"Acme Corp: 1 active strike (0 red cards), ↓ -1, {_card_state(card)}" in paragraph_text(
        summary
    )
