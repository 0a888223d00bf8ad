"""Cost against revenue in Teams: the card and the board's cost order, as Adaptive Cards."""

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.costly_month import costly_last_month
from tests.support.teams_driver import TeamsDriver, card_texts, filed


async def test_the_card_and_the_cost_board_in_teams(
    teams: TeamsDriver, engine: AsyncEngine
) -> None:
    await filed(teams, '"Acme Corp" scope_creep wants a third dashboard for free')
    await teams.say("client settings hourly-cost 60 EUR", user="29:maria")
    await costly_last_month(engine, f"teams:{teams.tenant}", "Acme Corp")

    card = card_texts((await teams.say('client "Acme Corp"')).cards[0])
    assert "costs 2.3× what it pays" in card
    assert "€276.00" in card

    board = card_texts((await teams.say("client list cost")).cards[0])
    assert "Clients by cost against revenue" in board
    assert "1. Acme Corp — On watch — 1 strike — costs 2.3× what it pays" in board
