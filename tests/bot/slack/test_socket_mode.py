"""Socket Mode: with SLACK_APP_TOKEN the app connects out to Slack and serves over the socket,
no public URL and no signing secret needed."""

import uuid

from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.support.fake_slack import FakeSlack, running_fake_slack


def _over_socket_mode(database_url: str, fake: FakeSlack) -> Settings:
    """An app token and no signing secret: Socket Mode only."""
    return Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=fake.url + "api/",
    )


async def test_slash_command_over_socket_mode(database_url: str) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        async with TestServer(create_app(_over_socket_mode(database_url, fake))):
            await fake.wait_for("socket.connected")
            envelope = await fake.send_envelope(
                "slash_commands",
                {
                    "team_id": fake.team_id,
                    "user_id": "UANA",
                    "channel_id": "C1",
                    "command": "/client",
                    "text": "help",
                    "api_app_id": "A1",
                    "response_url": fake.response_url(),
                    "trigger_id": f"{uuid.uuid4().hex}.trigger",
                },
            )
            [ack] = await fake.wait_for("socket.ack")
            assert ack.args["envelope_id"] == envelope
            [reply] = await fake.wait_for("respond")
            assert reply.args["response_type"] == "ephemeral"
        opened = fake.made("apps.connections.open")
        assert [call.args["_authorization"] for call in opened] == ["Bearer xapp-test"]


async def test_message_events_over_socket_mode_reach_the_channel_listener(
    database_url: str,
) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UNEW")
        async with TestServer(create_app(_over_socket_mode(database_url, fake))):
            await fake.wait_for("socket.connected")
            await fake.send_envelope(
                "events_api",
                {
                    "team_id": fake.team_id,
                    "api_app_id": "A1",
                    "type": "event_callback",
                    "event_id": "EvSocket",
                    "event": {
                        "type": "message",
                        "channel": "C1",
                        "user": "UNEW",
                        "text": "hello",
                        "ts": "1764000000.000100",
                    },
                    "authorizations": [{"team_id": fake.team_id, "user_id": "UBOT"}],
                },
            )
            # Socket Mode deliveries go through bolt: the listener looks the author up.
            [looked_up] = await fake.wait_for("users.info")
            assert looked_up.args["user"] == "UNEW"
