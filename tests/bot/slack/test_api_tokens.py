"""A Slack manager makes a signals API token with ``/client settings api-token create``: shown
once, ephemerally, and good at once for the API of the same app; staff are refused."""

import re

import aiohttp

from tests.support.slack_driver import SlackDriver, block_texts


async def _settings(slack: SlackDriver, text: str, user: str) -> str:
    before = len(slack.fake.made("respond"))
    await slack.command("/client", f"settings api-token {text}", user=user)
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    assert reply.args["response_type"] == "ephemeral"
    return block_texts(reply.args["blocks"])


async def test_a_manager_makes_a_token_the_api_takes_and_staff_cannot(slack: SlackDriver) -> None:
    refused = await _settings(slack, "create zendesk", user="UANA")
    assert "Only managers can do that" in refused
    shown = await _settings(slack, "create zendesk", user="UMARIA")
    [token] = re.findall(r"yc_[A-Za-z0-9_-]{43}", shown)
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{slack.url}api/v1/signals",
            json={"source": "zendesk", "signals": []},
            headers={"Authorization": f"Bearer {token}"},
        ) as answer,
    ):
        assert (answer.status, await answer.json()) == (200, {"results": []})
    listed = await _settings(slack, "list", user="UMARIA")
    assert "zendesk" in listed
    assert token not in listed
