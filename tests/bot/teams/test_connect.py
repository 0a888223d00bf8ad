"""A Teams manager connects Zendesk in their one-to-one chat: the path comes back there only,
never the secret, and the connection takes Zendesk's requests at once."""

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.app import create_app
from tests.bot.webhooks.conftest import SECRETS_KEY, zendesk_headers
from tests.support.fake_connector import Sent, running_fake_connector
from tests.support.teams_driver import TeamsDriver, card_texts, personal_chat, teams_settings

SECRET = "c2VjcmV0X2Zvcl90ZWFtcw=="


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsDriver]:
    """A tenant María installed the app in, with a secrets key; Ana works there."""
    async with running_fake_connector() as connector:
        settings = teams_settings(database_url).model_copy(
            update={"secrets_key": SecretStr(SECRETS_KEY)}
        )
        async with TestServer(create_app(settings)) as server:
            driver = TeamsDriver(str(server.make_url("/")), connector)
            driver.person("29:maria")
            driver.person("29:ana")
            await driver.install("29:maria")
            yield driver
            assert connector.invalid == []


def _text(sent: Sent) -> str:
    return "\n".join([sent.activity.get("text") or "", *map(card_texts, sent.cards)])


async def test_a_manager_connects_zendesk_in_their_own_chat(teams: TeamsDriver) -> None:
    refused = await teams.say(f"client settings connect zendesk {SECRET}", "29:ana")
    assert "Only managers can do that" in _text(refused)
    shown = await teams.say(f"client settings connect zendesk {SECRET}", "29:maria")
    assert shown.conversation_id == personal_chat("29:maria")
    text = _text(shown)
    [path] = [line for line in text.splitlines() if line.startswith("/webhooks/zendesk/")]
    assert SECRET not in str([sent.activity for sent in teams.connector.sent])

    body = json.dumps(
        {"event": "ticket_created", "ticket_id": "7", "organization_id": "42"}
    ).encode()
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{teams.url}{path.lstrip('/')}",
            data=body,
            headers=zendesk_headers(body, secret=SECRET),
        ) as answer,
    ):
        assert (answer.status, await answer.json()) == (200, {"status": "held"})
