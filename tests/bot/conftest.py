"""The app with Slack configured, against a fake Slack Web API, on each test database."""

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from tests.support.fake_slack import running_fake_slack
from tests.support.slack_driver import SlackDriver, slack_settings


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[SlackDriver]:
    """A new workspace with Ana (staff), María (an admin, so a manager), a guest and an outsider."""
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UMARIA", is_admin=True)
        fake.add_user("UGUEST", is_restricted=True)
        fake.add_user("UOUT", team_id="TOTHERORG")
        fake.add_user("UPILAR", locale="es-ES")
        async with TestServer(create_app(slack_settings(database_url, fake))) as server:
            yield SlackDriver(str(server.make_url("/")), fake)
