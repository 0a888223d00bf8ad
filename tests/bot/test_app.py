"""The HTTP application, over real HTTP on a loopback port."""

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from storage.migrate import head_revision
from tests.support.databases import sqlite_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def server(database_url: str) -> AsyncIterator[TestServer]:
    """The app on a free loopback port, on each test database."""
    async with TestServer(create_app(Settings(database_url=database_url))) as running:
        yield running


async def _get(server: TestServer, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(server.make_url(path)) as response:
        return response.status, await response.text()


async def test_health_and_readiness(server: TestServer) -> None:
    assert await _get(server, "/healthz") == (200, '{"status": "ok"}')
    status, body = await _get(server, "/readyz")
    assert status == 200
    assert f'"revision": "{head_revision()}"' in body


async def test_metrics_count_requests(server: TestServer) -> None:
    await _get(server, "/healthz")
    status, body = await _get(server, "/metrics")
    assert status == 200
    assert 'yellowcard_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in body
    assert "yellowcard_http_request_duration_seconds_bucket" in body


@pytest.mark.parametrize(
    ("method", "path", "platform"),
    [
        ("POST", "/slack/events", "Slack"),
        ("GET", "/slack/install", "Slack"),
        ("GET", "/slack/oauth_redirect", "Slack"),
        ("POST", "/api/messages", "Microsoft Teams"),
    ],
)
async def test_unconfigured_platforms_answer_503(
    server: TestServer, method: str, path: str, platform: str
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, server.make_url(path)) as response,
    ):
        body = await response.json()
    assert response.status == 503
    assert body["error"] == "not_configured"
    assert body["message"].startswith(f"{platform} is not")


async def test_not_ready_until_migrated(tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url(tmp_path))
    async with TestServer(create_app(settings, migrate=False)) as unmigrated:
        status, body = await _get(unmigrated, "/readyz")
    assert status == 503
    assert "not migrated" in body


_ANALYSERS_LOADED = """
import json, sys
from bot.app import create_app
from bot.settings import Settings
from skills.listening.abuse import detect

def loaded():
    return [name for name in ("fugashi", "rjieba") if name in sys.modules]

create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
steps = [loaded()]
detect("I cannot open the report, can you help?")
steps.append(loaded())
detect("お前バカ")
steps.append(loaded())
detect("你這個廢物")
steps.append(loaded())
print(json.dumps(steps))
"""


def test_word_analysers_load_when_a_message_first_needs_them() -> None:
    # Loaded at start, MeCab's and jieba's dictionaries held about 40 MB in every process
    # (BENCHMARKS.md); the app only checks at start that they are installed.
    shown = subprocess.run(
        [sys.executable, "-c", _ANALYSERS_LOADED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(shown) == [[], [], ["fugashi"], ["fugashi", "rjieba"]]


_HEAVY_LIBRARIES_LOADED = """
import json, sys
from bot.app import create_app
from bot.settings import Settings

settings = Settings(
    database_url="sqlite+aiosqlite:///:memory:",
    slack_bot_token="xoxb-1",
    slack_signing_secret="secret",
    teams_allow_anonymous=sys.argv[1] == "teams",
)
create_app(settings)
heavy = ("microsoft_agents", "msal", "matplotlib")
print(json.dumps([name for name in heavy if name in sys.modules]))
"""


def test_a_slack_only_process_leaves_teams_and_charts_unloaded() -> None:
    # The Agents SDK with MSAL (about 26 MB) and matplotlib (about 36 MB) were imported by every
    # process; Teams' only where it is served, charts only when a summary is drawn.
    def loaded(platforms: str) -> list[str]:
        shown = subprocess.run(
            [sys.executable, "-c", _HEAVY_LIBRARIES_LOADED, platforms],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return list(json.loads(shown))

    assert loaded("slack") == []
    assert loaded("teams") == ["microsoft_agents", "msal"]
