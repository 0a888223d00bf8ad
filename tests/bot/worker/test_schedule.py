"""The scheduler on an injected clock (no sleeping), sending through the real Slack notifier to
the fake Slack Web API over HTTP: weekly summaries once per week, reminders every few days."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from bot.worker.build import build_dispatcher
from bot.worker.dispatcher import Dispatcher
from bot.worker.scheduler import Scheduler
from skills.commands import Command
from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle
from skills.replies import Actions, Reply
from skills.text.command_parser import parse_command
from storage.database import create_session_factory
from tests.support.clock import FakeClock
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.slack_driver import SIGNING_SECRET, block_buttons, block_texts

# Monday 23 November 2026, 07:50 UTC: 08:50 in Madrid.
BEFORE_NINE = datetime(2026, 11, 23, 7, 50, tzinfo=UTC)


@dataclass
class Team:
    """A Slack tenant driven through the skills, its worker's parts, and the fake Slack."""

    services: Services
    clock: FakeClock
    fake: FakeSlack
    dispatcher: Dispatcher
    scheduler: Scheduler
    tenant_id: str

    async def say(self, text: str, user: str = "UMARIA") -> Reply:
        self.clock.advance(minutes=1)
        actor = Actor(self.tenant_id, user, user[1:].title(), is_admin=user == "UMARIA")
        return await handle(self.services, actor, parse_command(text))

    async def tick(self) -> bool:
        """One scheduler tick; whether it queued this tenant's summary (other tests' tenants
        share the database, so the tick's own lists may name them too)."""
        summaries, _reminded = await self.scheduler.tick()
        return self.tenant_id in summaries

    async def deliver(self) -> None:
        while await self.dispatcher.run_once():
            pass


@pytest.fixture
async def team(engine: AsyncEngine) -> AsyncIterator[Team]:
    clock = FakeClock(BEFORE_NINE)
    services = Services(create_session_factory(engine), clock)
    async with running_fake_slack() as fake:
        fake.add_user("UMARIA", is_admin=True)
        fake.add_channel("CSUPPORT", name="support")
        settings = Settings(
            slack_bot_token="xoxb-test",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url + "api/",
        )
        tenant_id = f"slack:{fake.team_id}"
        await ensure_tenant(services, tenant_id=tenant_id, platform="slack")
        dispatcher = build_dispatcher(settings, services, engine, CollectorRegistry())
        team = Team(services, clock, fake, dispatcher, Scheduler(services, "test"), tenant_id)
        await team.say("/client settings managers add <@UMARIA|maria>")
        await team.say("/client settings timezone Europe/Madrid")
        yield team


async def test_the_summary_is_posted_once_a_week_at_the_chosen_time(team: Team) -> None:
    await team.say("/client settings summary-channels <#CSUPPORT|support>")
    team.clock.now = BEFORE_NINE  # each command above moved the clock a minute
    assert not await team.tick()
    team.clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Madrid
    assert await team.tick()
    assert not await team.tick()
    await team.deliver()
    [post] = team.fake.posted_to("CSUPPORT")
    assert "A quiet week" in block_texts(post["blocks"])
    [upload] = team.fake.made("files.getUploadURLExternal")
    assert upload.args["alt_txt"].startswith("Bar chart of reports by category")
    [completed] = team.fake.made("files.completeUploadExternal")
    assert completed.args["channel_id"] == "CSUPPORT"
    assert completed.args["thread_ts"]
    assert next(iter(team.fake.uploads.values())).startswith(b"\x89PNG")

    team.clock.advance(days=6)
    assert not await team.tick()
    team.clock.advance(days=1)
    assert await team.tick()


async def test_a_summary_that_failed_after_its_text_sends_only_the_chart(team: Team) -> None:
    await team.say("/client settings summary-channels <#CSUPPORT|support>")
    team.fake.failing["files.getUploadURLExternal"] = 1
    await team.say("/client summary")
    await team.deliver()
    team.clock.advance(minutes=5)
    await team.deliver()
    assert len(team.fake.posted_to("CSUPPORT")) == 1
    assert len(team.fake.made("files.completeUploadExternal")) == 1


async def test_a_channel_shared_with_another_organisation_is_refused(team: Team) -> None:
    team.fake.add_channel("CSHARED", name="acme-support", is_ext_shared=True)
    team.fake.add_channel("CINVITED", name="globex", is_pending_ext_shared=True)
    await team.say("/client settings summary-channels <#CSHARED|acme-support> <#CINVITED>")
    queued = await team.say("/client summary")
    assert queued.data["outbox_ids"]
    await team.deliver()
    assert team.fake.posted_to("CSHARED") == []
    assert team.fake.posted_to("CINVITED") == []
    assert team.fake.made("files.getUploadURLExternal") == []
    settings = await team.say("/client settings")
    assert sorted(settings.data["undelivered"]) == sorted(queued.data["outbox_ids"])
    staff = await team.say("/client settings", user="UANA")
    assert staff.data["undelivered"] == []
    assert "shared with another organisation" in "\n".join(
        block.text for block in settings.blocks if hasattr(block, "text")
    )


async def test_the_preview_goes_to_the_manager_privately(team: Team) -> None:
    await team.say("/client summary preview")
    await team.deliver()
    [post] = team.fake.posted_to("UMARIA")
    assert "Risk summary" in block_texts(post["blocks"])
    assert len(team.fake.made("files.completeUploadExternal")) == 1


async def test_unanswered_pings_are_reminded_until_someone_decides(team: Team) -> None:
    unknown = await team.say('/report-client "Acme Corp" abuse shouted at Ana', user="UANA")
    create = next(command for label, command in _labels(unknown).items() if "Create" in label)
    filed = await handle(team.services, Actor(team.tenant_id, "UANA", "Ana"), create)
    assert filed.data["escalation_opened"] is True
    await team.deliver()
    assert len(team.fake.posted_to("UMARIA")) == 1
    for days, copies in ((3, 2), (1, 2), (2, 3)):
        team.clock.advance(days=days)
        await team.tick()
        await team.deliver()
        assert len(team.fake.posted_to("UMARIA")) == copies
    copies = team.fake.posted_to("UMARIA")
    assert [block_texts(copy["blocks"]).startswith("Reminder:") for copy in copies] == [
        False,
        True,
        True,
    ]
    decide = block_buttons(copies[-1]["blocks"])["Start offboarding"]
    assert decide
    # A reminder queued but not yet sent when someone decides is not sent at all.
    team.clock.advance(days=3)
    await team.tick()
    await team.say('/client decide "Acme Corp" offboarding abusive to staff')
    await team.deliver()
    assert all(
        "Decided by Maria" in block_texts(copy["blocks"]) for copy in team.fake.posted_to("UMARIA")
    )
    team.clock.advance(days=3)
    await team.tick()
    await team.deliver()
    assert len(team.fake.posted_to("UMARIA")) == 3


def _labels(reply: Reply) -> dict[str, Command]:
    return {
        button.label: button.command
        for block in reply.blocks
        if isinstance(block, Actions)
        for button in block.buttons
    }


async def test_each_workspace_is_reminded_on_its_own_interval(team: Team) -> None:
    await team.say("/client settings reminder 1")
    unknown = await team.say('/report-client "Acme Corp" threat said he would sue Ana', user="UANA")
    create = next(command for label, command in _labels(unknown).items() if "Create" in label)
    await handle(team.services, Actor(team.tenant_id, "UANA", "Ana"), create)
    await team.deliver()
    team.clock.advance(hours=23)
    await team.tick()
    await team.deliver()
    assert len(team.fake.posted_to("UMARIA")) == 1
    team.clock.advance(hours=1)
    await team.tick()
    await team.deliver()
    assert len(team.fake.posted_to("UMARIA")) == 2
