"""Proactive messages in Teams after a restart: a manager's ping, updated in place when someone
decides, and the weekly summary in a channel, from the conversation references stored before."""

import uuid
from typing import Any

from aiohttp.test_utils import TestServer

from bot.app import create_app
from tests.support.fake_connector import FakeConnector, Sent, running_fake_connector
from tests.support.teams_driver import TeamsDriver, card_buttons, card_texts, teams_settings

CHANNEL = "19:managers@thread.tacv2"


async def test_pings_and_the_summary_go_out_after_a_restart(database_url: str) -> None:
    async with running_fake_connector() as connector:
        tenant = str(uuid.uuid4())
        before = teams_settings(database_url, worker_enabled=False)
        async with TestServer(create_app(before)) as server:
            teams = TeamsDriver(str(server.make_url("/")), connector)
            teams.tenant = tenant
            for person in ("29:maria", "29:ana"):
                teams.person(person)
            await teams.install("29:maria", welcomed=False)  # no worker here: sent below
            await teams.say(
                "client settings summary-channels here", user="29:maria", channel=CHANNEL
            )

        async with TestServer(create_app(teams_settings(database_url))) as server:
            teams = TeamsDriver(str(server.make_url("/")), connector, tenant=tenant)
            for person in ("29:maria", "29:ana"):
                teams.person(person)
            # The welcome queued at install goes first; then Teams' first answer to the ping is
            # 429: it goes out on a later try.
            await connector.wait_for(1, conversation="a:personal-29:maria")
            connector.rate_limited["a:personal-29:maria"] = 1
            unknown = await teams.say("report-client Initech threat said he would sue Ana")
            create = next(
                d for label, d in card_buttons(unknown.cards[0]).items() if "Create" in label
            )
            await teams.submit(unknown, create)
            ping = await _sent_matching(connector, "a:personal-29:maria", "Staff safety")
            assert connector.rate_limited["a:personal-29:maria"] == 0
            card = ping.cards[0]
            assert "Staff safety: Initech crossed the threshold" in card_texts(card)
            decide = card_buttons(card)["Start offboarding"]
            await teams.submit(ping, decide, user="29:maria")
            [update] = await connector.wait_for(1, kind="update")
            latest = connector.latest(ping.conversation_id, ping.activity_id)
            assert update.activity_id == ping.activity_id
            assert "Decided by Maria" in card_texts(latest["attachments"][0]["content"])

            await teams.say("client summary", user="29:maria")
            await _sent_matching(connector, CHANNEL, "Risk summary")
            charts = await connector.wait_until(
                lambda: _images(connector.in_conversation(CHANNEL)) or None
            )
            assert charts[0]["altText"].startswith("Bar chart")
            assert charts[0]["url"].startswith("data:image/png;base64,")


async def _sent_matching(connector: FakeConnector, conversation: str, text: str) -> Sent:
    """Wait for the first card sent to ``conversation`` that mentions ``text``."""

    def found() -> Sent | None:
        return next(
            (
                item
                for item in connector.in_conversation(conversation)
                if item.kind == "send" and item.cards and text in card_texts(item.cards[0])
            ),
            None,
        )

    return await connector.wait_until(found)


def _images(sent: list[Sent]) -> list[dict[str, Any]]:
    return [
        element
        for item in sent
        for card in item.cards
        for element in card["body"]
        if element["type"] == "Image"
    ]
