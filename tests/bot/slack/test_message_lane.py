"""The message lane: which deliveries it takes from bolt, and how it holds a flood."""

import asyncio
import json
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.authorization import Authorization
from bot.slack.message_lane import MessageLane, message_delivery
from bot.slack.people import Workspace
from bot.slack.web_clients import InstalledClients
from tests.support.fake_slack import running_fake_slack


def _envelope(event: dict[str, Any], event_id: str = "Ev1") -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": event_id,
        "event": event,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_enterprise_install": False}],
    }


def test_only_message_events_take_the_lane() -> None:
    message = _envelope({"type": "message", "channel": "C1", "user": "U1", "text": "hi"})
    assert message_delivery(json.dumps(message).encode()) == message
    edited = _envelope({"type": "message", "subtype": "message_changed", "channel": "C1"})
    assert message_delivery(json.dumps(edited).encode()) == edited  # the listener skips it
    home = _envelope({"type": "app_home_opened", "user": "U1"})
    assert message_delivery(json.dumps(home).encode()) is None
    challenge = {"type": "url_verification", "challenge": "abc", "token": "t"}
    assert message_delivery(json.dumps(challenge).encode()) is None
    assert message_delivery(b"command=%2Fclient&text=help&team_id=T1") is None
    assert message_delivery(b'payload={"type":"block_actions"}') is None
    assert message_delivery(b"{not json") is None
    assert message_delivery(b'{"type": "event_callback", "event": "message"}') is None


class HeldListener:
    """Hears messages only when let go."""

    def __init__(self) -> None:
        self.heard: list[str] = []
        self.tenants: set[str] = set()
        self.let_go = asyncio.Event()

    async def hear(
        self, delivery: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        self.heard.append(delivery["event_id"])
        self.tenants.add(workspace.tenant_id)
        await self.let_go.wait()


async def test_a_full_lane_waits_for_room_and_authorises_once() -> None:
    async with running_fake_slack() as fake:
        api = fake.url + "api/"
        listener = HeldListener()
        lane = MessageLane(
            listener,  # type: ignore[arg-type]
            InstalledClients(
                Authorization(AsyncWebClient(base_url=api), token="xoxb-test"),
                lambda token: AsyncWebClient(token=token, base_url=api),
            ),
            limit=2,
        )
        message = {"type": "message", "channel": "C1", "user": "U1", "text": "hi"}
        await lane.take(_envelope(message, "Ev1"))
        await lane.take(_envelope(message, "Ev2"))
        third = asyncio.create_task(lane.take(_envelope(message, "Ev3")))
        await asyncio.sleep(0.2)
        assert not third.done()  # two are being heard: the third waits for room
        listener.let_go.set()
        await asyncio.wait_for(third, timeout=5)
        await lane.close()
    assert listener.heard == ["Ev1", "Ev2", "Ev3"]
    assert listener.tenants == {f"slack:{fake.team_id}"}  # the token's workspace, per auth.test
    assert len(fake.made("auth.test")) == 1


async def test_a_failed_auth_test_is_asked_again_on_the_next_message() -> None:
    async with running_fake_slack() as fake:
        api = fake.url + "api/"
        fake.failing["auth.test"] = 1
        listener = HeldListener()
        listener.let_go.set()
        lane = MessageLane(
            listener,  # type: ignore[arg-type]
            InstalledClients(
                Authorization(AsyncWebClient(base_url=api), token="xoxb-test"),
                lambda token: AsyncWebClient(token=token, base_url=api),
            ),
        )
        message = {"type": "message", "channel": "C1", "user": "U1", "text": "hi"}
        await lane.take(_envelope(message, "Ev1"))
        await lane.close()
        await lane.take(_envelope(message, "Ev2"))
        await lane.take(_envelope(message, "Ev3"))
        await lane.close()
    assert listener.heard == ["Ev2", "Ev3"]  # the first was not heard: Slack failed
    assert len(fake.made("auth.test")) + len(fake.made("auth.test:500")) == 2
