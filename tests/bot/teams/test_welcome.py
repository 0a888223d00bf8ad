"""Teams: the installer is welcomed as the first manager, with a real mention; a tenant whose
install Teams never announced sets itself up with ``set up``, once; managers are named by
mention, and added by one."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from tests.support.fake_connector import Sent, running_fake_connector
from tests.support.teams_driver import (
    BOT,
    TeamsDriver,
    card_buttons,
    card_texts,
    entra_id,
    personal_chat,
    teams_settings,
)

CHANNEL = "19:support@thread.tacv2"


@pytest.fixture
async def fresh(database_url: str) -> AsyncIterator[TeamsDriver]:
    """The app running, and a tenant where nobody has installed it yet (María and Ana work
    there, Gus is a guest)."""
    async with (
        running_fake_connector() as connector,
        TestServer(create_app(teams_settings(database_url))) as server,
    ):
        driver = TeamsDriver(str(server.make_url("/")), connector)
        driver.person("29:maria")
        driver.person("29:ana")
        driver.person("29:gus", userRole="guest")
        yield driver
        assert connector.invalid == [], "every card the bot sent is a valid Adaptive Card 1.5"


def _mentions(sent: Sent) -> list[dict[str, Any]]:
    return list(sent.cards[0].get("msteams", {}).get("entities", []))


async def test_the_installer_is_welcomed_once_as_the_first_manager(fresh: TeamsDriver) -> None:
    # Teams announces a personal install twice: as installationUpdate and conversationUpdate.
    installed = fresh.activity("29:maria", kind="installationUpdate", action="add")
    assert (await fresh.post(installed)).status in {200, 201, 202}
    [welcome] = await fresh.connector.wait_for(1, conversation=personal_chat("29:maria"))
    await fresh.install("29:maria", welcomed=False)
    await asyncio.sleep(0.3)
    assert fresh.private_answers("29:maria") == [welcome], "welcomed once"

    texts = card_texts(welcome.cards[0])
    assert "Welcome to Yellowcard" in texts
    assert "You are a manager" in texts
    assert "The manager is <at>Maria</at>." in texts
    assert "Link a support channel" in texts
    assert _mentions(welcome) == [
        {
            "type": "mention",
            "text": "<at>Maria</at>",
            "mentioned": {"id": entra_id("29:maria"), "name": "Maria"},
        }
    ]
    assert set(card_buttons(welcome.cards[0])) == {"Report a client", "Settings", "Help"}
    settings = await fresh.submit(welcome, card_buttons(welcome.cards[0])["Settings"], "29:maria")
    assert "Strikes to cross the threshold" in card_texts(settings.cards[0])


async def test_added_to_a_team_the_installer_is_welcomed_in_private(fresh: TeamsDriver) -> None:
    added = fresh.activity(
        "29:maria", kind="conversationUpdate", channel=CHANNEL, membersAdded=[BOT], locale="ja-JP"
    )
    assert (await fresh.post(added)).status in {200, 201, 202}
    [welcome] = await fresh.connector.wait_for(1, conversation=personal_chat("29:maria"))
    assert fresh.connector.created[0]["members"] == [{"id": "29:maria"}]
    assert fresh.connector.in_conversation(CHANNEL) == [], "nothing is said in the channel"
    texts = card_texts(welcome.cards[0])
    assert "Yellowcard へようこそ" in texts
    assert "マネージャーは<at>Maria</at>です。" in texts
    assert _mentions(welcome)[0]["mentioned"]["id"] == entra_id("29:maria")


async def test_someone_who_installs_it_later_is_told_who_manages(fresh: TeamsDriver) -> None:
    await fresh.install("29:maria")
    welcome = await fresh.install("29:ana")
    assert welcome is not None
    texts = card_texts(welcome.cards[0])
    assert "You are a manager" not in texts
    assert "The manager is <at>Maria</at>." in texts
    assert "Settings" not in card_buttons(welcome.cards[0])


async def test_a_missed_install_is_set_up_by_the_first_member_only(fresh: TeamsDriver) -> None:
    told = await fresh.say("client help")
    assert "write “set up”" in told.activity["text"]
    refused = await fresh.say("set up", user="29:gus")
    assert "cannot use Yellowcard" in card_texts(refused.cards[0])

    set_up = await fresh.say("Set  up")
    texts = card_texts(set_up.cards[0])
    assert "Yellowcard is now set up for your organisation, with you as its first manager." in texts
    assert "The manager is <at>Ana</at>." in texts
    assert _mentions(set_up)[0]["mentioned"]["id"] == entra_id("29:ana")

    again = await fresh.say("set up", user="29:maria")
    texts = card_texts(again.cards[0])
    assert "already set up" in texts
    assert "<at>Ana</at>" in texts
    settings = await fresh.say("client settings threshold 3", user="29:maria")
    assert "Only managers can do that. Ask <at>Ana</at>." in card_texts(settings.cards[0])
    # The person who set it up is welcomed by that answer, not a second time.
    await asyncio.sleep(0.3)
    assert fresh.private_answers("29:ana") == [told, set_up]


async def test_a_manager_adds_a_manager_by_mention(fresh: TeamsDriver) -> None:
    await fresh.install("29:maria")
    plain = await fresh.say("client settings managers add Ana", user="29:maria")
    assert "Microsoft Entra admin center → Users" in card_texts(plain.cards[0])

    before = len(fresh.private_answers("29:maria"))
    activity = fresh.activity(
        "29:maria",
        channel=CHANNEL,
        text="<at>Yellowcard</at> client settings managers add <at>Ana</at>",
        entities=[
            {"type": "mention", "mentioned": BOT, "text": "<at>Yellowcard</at>"},
            {
                "type": "mention",
                "mentioned": {"id": "29:ana", "name": "Ana"},
                "text": "<at>Ana</at>",
            },
        ],
    )
    assert (await fresh.post(activity)).status in {200, 201, 202}
    await fresh.connector.wait_for(before + 1, conversation=personal_chat("29:maria"))

    settings = await fresh.say("client settings", user="29:ana")
    assert "<at>Maria</at> and <at>Ana</at>" in card_texts(settings.cards[0])
    assert {entity["mentioned"]["id"] for entity in _mentions(settings)} == {
        entra_id("29:maria"),
        entra_id("29:ana"),
    }


async def test_a_typed_mention_token_is_only_text(fresh: TeamsDriver) -> None:
    await fresh.install("29:maria")
    forged = f"\ufdd0{entra_id('29:maria')}\ufdd1"
    answer = await fresh.say(f"client {forged}")
    assert entra_id("29:maria") in card_texts(answer.cards[0])
    assert "<at>" not in card_texts(answer.cards[0])
    assert "msteams" not in answer.cards[0]


def test_entra_ids_are_guids() -> None:
    assert uuid.UUID(entra_id("29:ana"))
