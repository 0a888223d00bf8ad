"""Real processes: a crash between commit and send loses nothing; three replicas post one
summary; ``yellowcard summary --now`` posts from the command line."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skills.commands import ChangeSetting
from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from tests.support.databases import fresh_postgres_database, postgres_url_or_skip
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.processes import run, serve_environment, serving
from tests.support.slack_driver import SlackDriver, quick_report


def _environment(database_url: str, fake: FakeSlack) -> dict[str, str]:
    return serve_environment(
        database_url,
        fake,
        OUTBOX_POLL_SECONDS="0.1",
        OUTBOX_LEASE_SECONDS="1",
        OUTBOX_RETRY_SECONDS="0.1",
        SCHEDULER_TICK_SECONDS="0.2",
    )


def _team_of(fake: FakeSlack) -> str:
    return f"slack:{fake.team_id}"


async def test_a_crash_between_commit_and_send_loses_nothing(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UMARIA", is_admin=True)
        env = _environment(database, fake)
        fake.stalled.add("chat.postMessage")
        async with serving(env, tmp_path) as (url, process):
            slack = SlackDriver(url, fake)
            await quick_report(slack, '"Acme Corp" scope_creep a free dashboard')
            await quick_report(slack, '"Acme Corp" moving_goalposts a new brief')
            await fake.wait_for("chat.postMessage:stalled", within=20)
            process.kill()  # mid-send: the ping is committed, not yet delivered
            await process.wait()
        fake.stalled.clear()
        async with serving(env, tmp_path):
            await fake.wait_for("chat.postMessage", within=30)
            await asyncio.sleep(1.5)  # longer than the lease: a second send would show by now
        assert len(fake.made("chat.postMessage")) == 1
        assert len(fake.posted_to("UMARIA")) == 1


async def _tenant_with_summary_due(url: str, fake: FakeSlack, channel: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        tenant_id = _team_of(fake)
        await ensure_tenant(services, tenant_id=tenant_id, platform="slack")
        maria = Actor(tenant_id, "UMARIA", "Maria", is_admin=True)
        today = datetime.now(UTC).weekday() + 1
        for name, value in (
            ("summary-channels", f"<#{channel}|support>"),
            ("summary-day", str(today)),
            ("summary-time", "00:00"),
        ):
            reply = await handle(services, maria, ChangeSetting(name, value))
            assert reply.kind.value == "result", reply
    finally:
        await engine.dispose()


@pytest.mark.postgres_only
async def test_three_replicas_post_one_summary(tmp_path: Path) -> None:
    async with fresh_postgres_database(postgres_url_or_skip()) as url, running_fake_slack() as fake:
        fake.add_channel("CSUPPORT", name="support")
        await _tenant_with_summary_due(url, fake, "CSUPPORT")
        env = _environment(url, fake)
        async with serving(env, tmp_path), serving(env, tmp_path), serving(env, tmp_path):
            await fake.wait_for("files.completeUploadExternal", within=30)
            await asyncio.sleep(1.5)  # several scheduler ticks of every replica
        assert len(fake.posted_to("CSUPPORT")) == 1
        assert len(fake.made("files.completeUploadExternal")) == 1


async def test_the_summary_command_posts_now(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'summary.db'}"
    async with running_fake_slack() as fake:
        fake.add_channel("CSUPPORT", name="support")
        await _tenant_with_summary_due(database, fake, "CSUPPORT")
        env = {**_environment(database, fake), "WORKER_ENABLED": "0"}
        code, out, _err = await run("summary", "--tenant", _team_of(fake), env=env, cwd=tmp_path)
        assert code == 0
        assert "A quiet week" in out
        assert fake.posted_to("CSUPPORT") == []
        code, out, _err = await run(
            "summary", "--tenant", _team_of(fake), "--now", env=env, cwd=tmp_path
        )
        assert code == 0, out
        assert "posted to CSUPPORT" in out
        assert len(fake.posted_to("CSUPPORT")) == 1
        code, _out, err = await run("summary", "--tenant", "slack:TNOPE", env=env, cwd=tmp_path)
        assert code == 2
        assert "no tenant" in err
