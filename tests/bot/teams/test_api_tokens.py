"""A Teams manager makes a signals API token in a channel: the token comes in their one-to-one
chat only, and the API of the same app takes it."""

import re

import aiohttp

from tests.support.fake_connector import Sent
from tests.support.teams_driver import TeamsDriver, card_texts, personal_chat


def _text(sent: Sent) -> str:
    return "\n".join([sent.activity.get("text") or "", *map(card_texts, sent.cards)])


async def test_the_token_is_shown_privately_and_the_api_takes_it(teams: TeamsDriver) -> None:
    shown = await teams.say(
        "client settings api-token create billing", "29:maria", channel="19:support"
    )
    [token] = re.findall(r"yc_[A-Za-z0-9_-]{43}", _text(shown))
    elsewhere = [
        sent for sent in teams.connector.sent if sent.conversation_id != shown.conversation_id
    ]
    assert shown.conversation_id == personal_chat("29:maria")
    assert token not in str([sent.activity for sent in elsewhere])
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{teams.url}api/v1/signals",
            json={"source": "billing", "signals": []},
            headers={"Authorization": f"Bearer {token}"},
        ) as answer,
    ):
        assert answer.status == 200
    refused = await teams.say("client settings api-token list", "29:ana")
    assert "Only managers can do that" in _text(refused)
