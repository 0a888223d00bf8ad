"""The app with Slack configured, against a fake Slack Web API, on each test database."""

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.support.fake_slack import running_fake_slack
from tests.support.slack_driver import SIGNING_SECRET, SlackDriver


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[SlackDriver]:
    """A new workspace with Ana (staff), María (an admin, so a manager), a guest and an outsider."""
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UMARIA", is_admin=True)
        fake.add_user("UGUEST", is_restricted=True)
        fake.add_user("UOUT", team_id="TOTHERORG")
        fake.add_user("UPILAR", locale="es-ES")
        settings = Settings(
            database_url=database_url,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url + "api/",
            # The outbox is sent at once and retried quickly, so tests wait for it briefly.
            outbox_poll_seconds=0.05,
            outbox_retry_seconds=0.05,
            scheduler_tick_seconds=0.2,
        )
        async with TestServer(create_app(settings)) as server:
            yield SlackDriver(str(server.make_url("/")), fake)
