"""Installing into many workspaces: the OAuth flow stores the installation in the database, and
requests from that workspace then use its token."""

import asyncio
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from bot.app import create_app
from bot.settings import Settings
from storage.database import create_engine
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.slack_driver import SIGNING_SECRET, SlackDriver

_TOKEN = "Bearer xoxb-installed"


@pytest.fixture
async def installable(database_url: str) -> AsyncIterator[tuple[SlackDriver, FakeSlack]]:
    async with running_fake_slack() as fake:
        fake.add_user("UMARIA", is_admin=True)
        settings = Settings(
            database_url=database_url,
            slack_client_id="111.222",
            slack_client_secret="oauth-secret",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url + "api/",
        )
        async with TestServer(create_app(settings)) as server:
            yield SlackDriver(str(server.make_url("/")), fake), fake


async def _install(slack: SlackDriver, fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{slack.url}slack/install") as page:
            assert page.status == 200
            html = await page.text()
            # The state cookie is Secure; over this test's plain HTTP the browser part is ours.
            cookie = page.cookies["slack-app-oauth-state"].value
        found = re.search(r"state=([\w-]+)", html)
        assert found is not None, html
        assert "client_id=111.222" in html
        async with browser.get(
            f"{slack.url}slack/oauth_redirect",
            params={"code": "the-code", "state": found.group(1)},
            headers={"Cookie": f"slack-app-oauth-state={cookie}"},
        ) as done:
            assert done.status == 200, await done.text()
    [exchange] = fake.made("oauth.v2.access")
    assert exchange.args["code"] == "the-code"


async def test_install_then_use(installable: tuple[SlackDriver, FakeSlack]) -> None:
    slack, fake = installable
    await _install(slack, fake)
    await slack.command("/client", "help", user="UMARIA")
    [reply] = await fake.wait_for("respond")
    assert reply.args["response_type"] == "ephemeral"
    # The workspace's own token, from the stored installation.
    assert fake.made("users.info")[0].args["_authorization"] == "Bearer xoxb-installed"


async def test_requests_and_message_events_reuse_the_installation(
    installable: tuple[SlackDriver, FakeSlack],
) -> None:
    slack, fake = installable
    await _install(slack, fake)
    described = len(fake.made("auth.test"))  # the install itself asks once
    for _ in range(3):
        await slack.command("/client", "help", user="UMARIA")
    await fake.wait_for("respond", 3)
    fake.add_user("UNEW")
    message = {"type": "message", "channel": "C1", "user": "UNEW", "text": "hi", "ts": "1.0"}
    assert (await slack.event(message)).status == 200
    [*_, looked_up] = await fake.wait_for("users.info", 2)
    assert (looked_up.args["user"], looked_up.args["_authorization"]) == ("UNEW", _TOKEN)
    # bolt's own OAuth authorization would have called auth.test for every request.
    assert len(fake.made("auth.test")) == described


async def test_message_events_of_a_workspace_without_installation_are_ignored(
    installable: tuple[SlackDriver, FakeSlack], caplog: pytest.LogCaptureFixture
) -> None:
    slack, fake = installable
    fake.add_user("UNEW")
    message = {"type": "message", "channel": "C1", "user": "UNEW", "text": "hi", "ts": "1.0"}
    assert (await slack.event(message)).status == 200
    for _ in range(50):
        if f"no installation for team {fake.team_id}" in caplog.text:
            break
        await asyncio.sleep(0.05)
    assert f"no installation for team {fake.team_id}" in caplog.text
    assert fake.calls == []


async def test_a_forged_state_is_refused(installable: tuple[SlackDriver, FakeSlack]) -> None:
    slack, fake = installable
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(
            f"{slack.url}slack/oauth_redirect", params={"code": "the-code", "state": "forged"}
        ) as done,
    ):
        assert done.status == 400
    assert fake.made("oauth.v2.access") == []


async def test_another_organisation_gets_nothing(
    installable: tuple[SlackDriver, FakeSlack],
) -> None:
    slack, fake = installable
    fake.team_id = "TOTHERORG"  # a workspace that never installed the app
    answer = await slack.command("/client", "list", user="UOUT")
    assert answer.status == 200
    assert "Acme" not in answer.text
    assert fake.made("users.info") == []
    [refusal] = await fake.wait_for("respond")
    assert refusal.args["text"] == "Yellowcard is not installed in your workspace."


async def _install_and_use(slack: SlackDriver, fake: FakeSlack) -> None:
    """Install, and have the workspace use Yellowcard once (which sets its tenant up)."""
    await _install(slack, fake)
    await slack.command("/client", "help", user="UMARIA")
    await fake.wait_for("respond")


async def _stored_after(database_url: str, team: str, action: str, wanted: list[int]) -> list[int]:
    """The workspace's bots and installations stored, and its audit events of ``action``,
    once they are ``wanted`` (or as they are after five seconds). The database is shared by
    the tests, each with its own workspace."""
    asked = {"team": team, "tenant": f"slack:{team}", "action": action}
    engine = create_engine(database_url)
    try:
        for _ in range(100):
            # A connection per look: one kept open would see the database as it first found it.
            async with engine.connect() as connection:
                counts = [
                    (await connection.execute(text(query), asked)).scalar() or 0
                    for query in (
                        "select count(*) from slack_bots where team_id = :team",
                        "select count(*) from slack_installations where team_id = :team",
                        "select count(*) from auditevent "
                        "where action = :action and tenant_id = :tenant",
                    )
                ]
            if counts == wanted:
                break
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    return counts


async def test_an_uninstall_removes_the_installation_and_is_audited(
    installable: tuple[SlackDriver, FakeSlack], database_url: str
) -> None:
    slack, fake = installable
    await _install_and_use(slack, fake)
    assert (await slack.event({"type": "app_uninstalled"})).status == 200
    assert await _stored_after(
        database_url, fake.team_id, "installation.uninstalled", [0, 0, 1]
    ) == [0, 0, 1]
    # The next request finds no installation: the cache forgot it too.
    before = len(fake.made("respond"))
    answer = await slack.command("/client", "help", user="UMARIA")
    if "not installed" not in answer.text:
        [*_, reply] = await fake.wait_for("respond", before + 1)
        assert "not installed" in str(reply.args)


async def test_a_revoked_bot_token_is_deleted_and_audited(
    installable: tuple[SlackDriver, FakeSlack], database_url: str
) -> None:
    slack, fake = installable
    await _install_and_use(slack, fake)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert (await slack.event(revoked)).status == 200
    stored = await _stored_after(
        database_url, fake.team_id, "installation.tokens_revoked", [0, 1, 1]
    )
    # The bot's row goes; the installation's own row (without its bot token) is Slack's record
    # of who installed, kept until the app is uninstalled.
    assert stored[0] == 0
    assert stored[2] == 1
