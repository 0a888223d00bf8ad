"""A suggested report in Teams, end to end: an overdue invoice pushed through the signals API
over HTTP reaches the client's account owner as one Adaptive Card in her one-to-one chat;
"File this report" files it; a replay changes nothing."""

import asyncio
import re
import time
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.bot.slack.test_suggestions import (
    overdue_invoice,
    overdue_stripe_event,
    post_stripe,
    push,
    suggestion_rows,
)
from tests.bot.webhooks.conftest import STRIPE_SECRET, stripe_header
from tests.support.fake_connector import Sent
from tests.support.teams_driver import (
    TeamsDriver,
    answer_with,
    card_buttons,
    card_texts,
    entra_id,
    personal_chat,
)


def _suggestions(teams: TeamsDriver, user: str = "29:ana") -> list[Sent]:
    return [
        sent
        for sent in teams.connector.in_conversation(personal_chat(user))
        if sent.kind == "send"
        and any("Suggested report" in card_texts(card) for card in sent.cards)
    ]


async def test_an_overdue_invoice_reaches_the_owner_once_with_a_one_click_report(
    teams: TeamsDriver, engine: AsyncEngine
) -> None:
    await answer_with(
        teams, 'client add "Acme Corp" billing-id=cus_acme', "Acme Corp", user="29:maria"
    )
    # Teams lets a bot write to a person only in a chat they have opened with it once.
    await teams.say("client help", user="29:ana")
    owner = f'client owner "Acme Corp" {entra_id("29:ana")}'
    await answer_with(teams, owner, "Acme Corp", user="29:maria")
    shown = await teams.say("client settings api-token create billing", user="29:maria")
    [token] = set(re.findall(r"yc_[A-Za-z0-9_-]{43}", str([shown.activity, shown.cards])))

    batch = overdue_invoice(datetime.now(UTC), "cus_acme")
    assert await push(teams.url, token, batch) == ["accepted"]
    message = await teams.connector.wait_until(lambda: next(iter(_suggestions(teams)), None))
    assert await push(teams.url, token, batch) == ["duplicate"]
    await asyncio.sleep(0.3)  # time for a second message to show up, if there were one
    assert _suggestions(teams) == [message]
    assert _suggestions(teams, "29:maria") == []
    assert await suggestion_rows(engine, f"teams:{teams.tenant}") == 1
    card = message.cards[0]
    text = card_texts(card)
    assert "Suggested report: Acme Corp has not paid an invoice" in text
    assert "€1,200.00 (75 days)" in text
    buttons = card_buttons(card)
    assert list(buttons) == ["File this report", "Not now"]

    filed = await teams.submit(message, buttons["File this report"], user="29:ana")
    assert "Report filed about Acme Corp" in card_texts(filed.cards[0])
    shown_card = card_texts((await teams.say('client "Acme Corp"', user="29:ana")).cards[0])
    assert "Suggested:" not in shown_card


async def test_an_overdue_stripe_invoice_reaches_the_owner_once_and_forgeries_change_nothing(
    teams: TeamsDriver, engine: AsyncEngine
) -> None:
    await answer_with(
        teams, 'client add "Acme Corp" billing-id=cus_acme', "Acme Corp", user="29:maria"
    )
    await teams.say("client help", user="29:ana")
    owner = f'client owner "Acme Corp" {entra_id("29:ana")}'
    await answer_with(teams, owner, "Acme Corp", user="29:maria")
    connected = await teams.say(f"client settings connect stripe {STRIPE_SECRET}", user="29:maria")
    [path] = set(re.findall(r"/webhooks/stripe/[A-Za-z0-9_-]+", str(connected.cards)))
    url = teams.url + path.lstrip("/")
    payload = overdue_stripe_event(datetime.now(UTC), "cus_acme")

    forged = stripe_header(payload, secret="whsec_not_the_connections")
    stale = stripe_header(payload, at=int(time.time()) - 3600)
    assert [await post_stripe(url, payload, header) for header in (forged, stale)] == [400, 400]
    assert await post_stripe(url, payload, stripe_header(payload)) == 200
    message = await teams.connector.wait_until(lambda: next(iter(_suggestions(teams)), None))
    assert await post_stripe(url, payload, stripe_header(payload)) == 200  # Stripe retries
    await asyncio.sleep(0.3)  # time for a second message to show up, if there were one
    assert _suggestions(teams) == [message]
    assert await suggestion_rows(engine, f"teams:{teams.tenant}") == 1
    card = message.cards[0]
    assert "€1,200.00 (75 days)" in card_texts(card)
    filed = await teams.submit(message, card_buttons(card)["File this report"], user="29:ana")
    assert "Report filed about Acme Corp" in card_texts(filed.cards[0])
