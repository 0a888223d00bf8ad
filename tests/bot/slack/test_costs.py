"""Cost against revenue in Slack: the card, the board's cost order and the weekly summary,
through the app's real HTTP route. The app runs on the system clock, so the signals are put
in the month before the one under way, whatever day that is."""

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.costly_month import costly_last_month
from tests.support.slack_driver import SlackDriver, block_texts, quick_report


async def _a_costly_month(slack: SlackDriver, engine: AsyncEngine) -> None:
    """Acme Corp, last month: 276 minutes at 60 EUR an hour against an invoice of 120 EUR."""
    await quick_report(slack, '"Acme Corp" scope_creep wants a third dashboard for free')
    before = len(slack.fake.made("respond"))
    await slack.command("/client", "settings hourly-cost 60 EUR", user="UMARIA")
    await slack.fake.wait_for("respond", before + 1)
    await costly_last_month(engine, f"slack:{slack.fake.team_id}", "Acme Corp")


async def _answer(slack: SlackDriver, text: str, user: str = "UANA") -> str:
    before = len(slack.fake.made("respond"))
    assert (await slack.command("/client", text, user=user)).status == 200
    [*_, answer] = await slack.fake.wait_for("respond", before + 1)
    return block_texts(answer.args["blocks"])


async def test_the_card_board_and_summary_show_what_a_client_costs(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await _a_costly_month(slack, engine)

    card = await _answer(slack, '"Acme Corp"')
    assert "costs 2.3× what it pays" in card
    assert "€276.00" in card
    assert "€120.00" in card

    board = await _answer(slack, "list cost")
    assert "Clients by cost against revenue" in board
    assert "1. Acme Corp — On watch — 1 strike — costs 2.3× what it pays" in board

    assert "on its way" in await _answer(slack, "summary preview", user="UMARIA")
    await slack.fake.wait_for("chat.postMessage")
    [posted] = slack.fake.posted_to("UMARIA")
    summary = block_texts(posted["blocks"])
    assert "Clients costing more than they pay in" in summary
    assert "Acme Corp: 2.3× (no figures the month before)" in summary


async def test_spanish_reads_the_same_figures_in_its_words(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await _a_costly_month(slack, engine)
    card = await _answer(slack, '"Acme Corp"', user="UPILAR")
    assert "2,3" in card
    assert "276,00" in card
