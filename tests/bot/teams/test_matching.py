"""An organisation Zendesk told us about that no client has the id of, in Teams: the manager
who installed the app (the managers while the tenant names none) gets one message about it in
their chat with the bot; its button answers with the match form, and submitting it makes the
held tickets the client's."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from skills.core.context import Services
from storage.book_models import SignalKind
from storage.database import create_session_factory
from tests.support.fake_connector import Sent
from tests.support.held import hold, stored, ticket
from tests.support.teams_driver import (
    TeamsDriver,
    answer_with,
    card_buttons,
    card_texts,
    personal_chat,
)

NOTICE = "An account no client is matched to"


def _notices(teams: TeamsDriver) -> list[Sent]:
    return [
        sent
        for sent in teams.connector.in_conversation(personal_chat("29:maria"))
        if any(NOTICE in card_texts(card) for card in sent.cards)
    ]


async def test_a_manager_matches_an_unknown_organisation_from_the_message(
    teams: TeamsDriver, engine: AsyncEngine
) -> None:
    await answer_with(teams, "client add Acme", "Acme", user="29:maria")
    tenant = f"teams:{teams.tenant}"
    services = Services(create_session_factory(engine))
    solved = ticket("z-2", SignalKind.TICKET_SOLVED, minutes=45)
    await hold(services, tenant, "zendesk", "901", ticket("z-1"), name="Acme Support")
    await hold(services, tenant, "zendesk", "901", solved, ticket("z-1"))

    notice = await teams.connector.wait_until(lambda: next(iter(_notices(teams)), None))
    await asyncio.sleep(0.3)  # time for a second notice to show up, if there were one
    assert _notices(teams) == [notice]
    texts = card_texts(notice.cards[0])
    assert "Zendesk sent events about an organisation" in texts
    assert "Acme Support" in texts
    assert teams.connector.in_conversation(personal_chat("29:ana")) == []

    match = card_buttons(notice.cards[0])["Match to a client"]
    form = await teams.submit(notice, match, user="29:maria")
    assert "Match an account to a client" in card_texts(form.cards[0])
    [(_label, submit)] = card_buttons(form.cards[0]).items()
    values = {"source": "zendesk", "external_id": "901", "client": "Acme"}
    done = await teams.submit(form, {**submit, **values}, user="29:maria")
    assert "is now matched to Acme: its 2 events went to the client" in card_texts(done.cards[0])
    [account], held, signals = await stored(services, tenant)
    assert account.matched_client_id is not None
    assert held == []
    assert sorted((signal.external_id, signal.minutes) for signal in signals) == [
        ("z-1", None),
        ("z-2", 45),
    ]
    listed = await answer_with(teams, "client unmatched", "Accounts waiting", user="29:maria")
    assert "Every account Stripe and Zendesk told us about is matched" in card_texts(
        listed.cards[0]
    )
