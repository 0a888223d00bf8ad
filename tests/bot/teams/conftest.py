"""The app with Teams in anonymous local mode, against a fake Bot Connector."""

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from tests.support.fake_connector import running_fake_connector
from tests.support.teams_driver import TeamsDriver, teams_settings


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsDriver]:
    """A new tenant that María installed the app in; Ana works there, Gus is a guest and Olga
    belongs to another organisation."""
    async with running_fake_connector() as connector:
        settings = teams_settings(database_url)
        async with TestServer(create_app(settings)) as server:
            driver = TeamsDriver(str(server.make_url("/")), connector)
            driver.person("29:maria")
            driver.person("29:ana")
            driver.person("29:gus", userRole="guest")
            driver.person("29:olga", tenantId="another-organisation")
            await driver.install("29:maria")
            yield driver
            assert connector.invalid == [], "every card the bot sent is a valid Adaptive Card 1.5"
