"""An acknowledged Slack request is never lost, and a replayed one is handled once: real HTTP,
and real processes that are stopped or killed right after the acknowledgements. Requests that
arrive together are stored together, and acknowledged only once stored."""

import asyncio
import signal
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_app
from bot.slack.intake import STORE_SECONDS
from storage.database import create_engine
from storage.migrate import upgrade_to_head
from tests.support.databases import fresh_postgres_database, postgres_url_or_skip
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.processes import serve_environment, serving
from tests.support.slack_driver import SlackDriver, quick_report, slack_settings

BURST = 30


async def _incidents(engine: AsyncEngine, fake: FakeSlack) -> int:
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT count(*) FROM incident WHERE tenant_id = :tenant"),
            {"tenant": f"slack:{fake.team_id}"},
        )
        return int(found.scalar_one())


def _command(fake: FakeSlack, text_typed: str, user: str = "UANA") -> tuple[str, str]:
    """A /report-client request as Slack sends it, with its own trigger_id and response_url;
    the body, and the path its answer is posted to."""
    response_url = fake.response_url()
    body = urlencode(
        {
            "team_id": fake.team_id,
            "channel_id": "C1",
            "user_id": user,
            "command": "/report-client",
            "text": text_typed,
            "response_url": response_url,
            "trigger_id": f"{uuid.uuid4().hex}.trigger",
        }
    )
    return body, urlparse(response_url).path


async def test_a_replayed_command_files_one_report(slack: SlackDriver, engine: AsyncEngine) -> None:
    await quick_report(slack, '"Replay Co" scope_creep the first report')
    body, _path = _command(slack.fake, '"Replay Co" scope_creep the same signed request')
    before = len(slack.fake.made("respond"))
    for _ in range(3):  # the same signed body, as an attacker or a proxy would resend it
        assert (await slack.post(body)).status == 200
    await slack.fake.wait_for("respond", before + 1)
    await asyncio.sleep(0.5)  # a second handling would have answered by now
    assert len(slack.fake.made("respond")) == before + 1
    assert await _incidents(engine, slack.fake) == 2


def _environment(database_url: str, fake: FakeSlack) -> dict[str, str]:
    return serve_environment(
        database_url,
        fake,
        REQUEST_LEASE_SECONDS="1",
        REQUEST_SWEEP_SECONDS="0.2",
        WORKER_ENABLED="false",
    )


async def _burst(slack: SlackDriver) -> list[str]:
    """``BURST`` quick reports by Bea at once, each acknowledged; where each is answered."""
    commands = [
        _command(slack.fake, f'"Acme Corp" scope_creep extra request {number}', "UBEA")
        for number in range(BURST)
    ]
    answers = await asyncio.gather(*(slack.post(body) for body, _path in commands))
    assert [answer.status for answer in answers] == [200] * BURST
    return [path for _body, path in commands]


async def _check(database_url: str, fake: FakeSlack, paths: list[str]) -> None:
    await fake.wait_for_answers(paths)
    engine = create_engine(database_url)
    try:
        assert await _incidents(engine, fake) == BURST + 1  # stored once each
    finally:
        await engine.dispose()


async def _prepared(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


async def test_sigterm_right_after_a_burst_loses_no_acknowledged_report(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'sigterm.db'}"
    await _prepared(database)
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UBEA")
        # Bea is looked up while the signal comes: her reports are still being handled.
        fake.delays["users.info"] = 0.3
        env = _environment(database, fake)
        async with serving(env, tmp_path) as (url, process):
            slack = SlackDriver(url, fake)
            await quick_report(slack, '"Acme Corp" scope_creep the first report')
            paths = await _burst(slack)
            process.send_signal(signal.SIGTERM)
            assert await process.wait() == 0
        await _check(database, fake, paths)


async def test_kill_9_right_after_the_acks_then_a_restart_loses_nothing(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'kill.db'}"
    await _prepared(database)
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UBEA")
        env = _environment(database, fake)
        async with serving(env, tmp_path) as (url, process):
            slack = SlackDriver(url, fake)
            await quick_report(slack, '"Acme Corp" scope_creep the first report')
            # Looking Bea up never ends: none of her reports is handled before the kill.
            fake.stalled.add("users.info")
            paths = await _burst(slack)
            process.kill()
            await process.wait()
        fake.stalled.clear()
        async with serving(env, tmp_path):
            await _check(database, fake, paths)


async def test_a_command_mentioning_a_payload_is_handled(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    # A form body holding the word "payload" anywhere once read as an empty request.
    await quick_report(slack, '"Payload Co" scope_creep the first report')
    before = await _incidents(engine, slack.fake)
    filed = await quick_report(slack, '"Payload Co" scope_creep wants a new payload=format')
    assert "Report filed about Payload Co" in str(filed["blocks"])
    assert await _incidents(engine, slack.fake) == before + 1


async def test_a_command_with_control_characters_is_stored_and_filed(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await quick_report(slack, '"Nul Co" scope_creep the first report')
    filed = await quick_report(slack, '"Nul Co" scope_creep a NUL \x00 and a bell \x07 here')
    assert "Report filed about Nul Co" in str(filed["blocks"])
    async with engine.connect() as connection:
        details = (
            await connection.execute(
                text(
                    "SELECT details FROM incident WHERE tenant_id = :tenant ORDER BY id DESC "
                    "LIMIT 1"
                ),
                {"tenant": f"slack:{slack.fake.team_id}"},
            )
        ).scalar_one()
    assert details == "a NUL  and a bell  here"


async def test_a_slow_request_keeps_its_lease_and_is_handled_once(
    database_url: str, engine: AsyncEngine
) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UBEA")
        settings = slack_settings(database_url, fake).model_copy(
            update={"request_lease_seconds": 1.0, "request_sweep_seconds": 0.2}
        )
        async with TestServer(create_app(settings)) as server:
            slack = SlackDriver(str(server.make_url("/")), fake)
            await quick_report(slack, '"Slow Co" scope_creep the first report')
            # Looking Bea up takes three leases: a process that did not renew its lease would
            # see the request taken over, and handled a second time.
            fake.delays["users.info"] = 3
            body, path = _command(fake, '"Slow Co" scope_creep a slow one', "UBEA")
            assert (await slack.post(body)).status == 200
            await fake.wait_for_answers([path])
            await asyncio.sleep(1.5)  # a second handling would have answered by now
    assert [call.path for call in fake.made("respond")].count(path) == 1
    async with engine.connect() as connection:
        attempts = (
            await connection.execute(
                text("SELECT attempts FROM acceptedrequest WHERE request_key LIKE :key"),
                {"key": f"%{parse_qs(body)['trigger_id'][0]}"},
            )
        ).scalar_one()
    assert attempts == 1


async def test_a_request_whose_handling_fails_is_apologised_for(slack: SlackDriver) -> None:
    slack.fake.add_user("UNEW")
    slack.fake.failing["users.info"] = 1  # looking the person up fails after the ack
    body, path = _command(slack.fake, '"Fail Co" scope_creep it will not be filed', "UNEW")
    assert (await slack.post(body)).status == 200
    await slack.fake.wait_for_answers([path])
    [answer] = [call.args for call in slack.fake.made("respond") if call.path == path]
    assert answer["text"].startswith("Something went wrong")
    assert answer["response_type"] == "ephemeral"


async def test_the_stored_request_keeps_no_verification_token(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    slack.fake.add_user("UNEW")
    slack.fake.delays["users.info"] = 2  # still being handled while the test looks
    body, path = _command(slack.fake, '"Token Co" scope_creep one more', "UNEW")
    assert (await slack.post(body + "&token=legacy-verification-token")).status == 200
    async with engine.connect() as connection:
        stored = await connection.execute(
            text(
                "SELECT CAST(body AS TEXT) FROM acceptedrequest "
                "WHERE handled_at IS NULL AND CAST(body AS TEXT) LIKE :text"
            ),
            {"text": "%one more%"},
        )
        [held] = stored.scalars().all()
    assert "legacy-verification-token" not in held
    await slack.fake.wait_for_answers([path])


# Long enough for requests sent meanwhile to reach the intake, on a busy machine.
SETTLE = 0.5


@asynccontextmanager
async def _requests_table_locked(engine: AsyncEngine) -> AsyncIterator[None]:
    """Nobody else writes to the ``acceptedrequest`` table meanwhile: the app's writes wait."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("LOCK TABLE acceptedrequest IN EXCLUSIVE MODE"))
        # On SQLite the transaction began IMMEDIATE (storage/database.py): it holds the write
        # lock of the whole file.
        yield


def _key(body: str) -> str:
    return f"slack:{parse_qs(body)['trigger_id'][0]}"


async def _accepted_at(engine: AsyncEngine, bodies: list[str]) -> dict[str, datetime]:
    """When each request was accepted, by its key; a request not stored is missing."""
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT request_key, accepted_at FROM acceptedrequest"),
        )
        wanted = {_key(body) for body in bodies}
        return {key: at for key, at in found.all() if key in wanted}


async def _while_one_is_stored(
    slack: SlackDriver, engine: AsyncEngine, first: str, together: list[str]
) -> list[int]:
    """``first`` sent alone, then ``together`` while its store waits for the database; the
    statuses of all, in that order."""
    async with _requests_table_locked(engine):
        alone = asyncio.create_task(slack.post(first))
        await asyncio.sleep(SETTLE)
        rest = [asyncio.create_task(slack.post(body)) for body in together]
        await asyncio.sleep(SETTLE)
    answers = await asyncio.gather(alone, *rest)
    return [answer.status for answer in answers]


async def test_requests_arriving_together_are_stored_in_one_transaction(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await quick_report(slack, '"Batch Co" scope_creep the first report')
    commands = [_command(slack.fake, f'"Batch Co" scope_creep number {n}') for n in range(6)]
    first, *together = [body for body, _path in commands]
    assert await _while_one_is_stored(slack, engine, first, together) == [200] * 6
    accepted = await _accepted_at(engine, [first, *together])
    # Each transaction reads the clock once: the five that waited share their moment.
    assert len({accepted[_key(body)] for body in together}) == 1
    assert accepted[_key(first)] < accepted[_key(together[0])]
    await slack.fake.wait_for_answers([path for _body, path in commands])


async def test_replays_in_one_batch_and_across_batches_are_handled_once(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await quick_report(slack, '"Again Co" scope_creep the first report')
    before = await _incidents(engine, slack.fake)
    (first, first_path), (second, second_path) = [
        _command(slack.fake, f'"Again Co" scope_creep number {n}') for n in range(2)
    ]
    # The second twice in one batch, and the first again in the batch after its own.
    statuses = await _while_one_is_stored(slack, engine, first, [second, second, first])
    assert statuses == [200] * 4
    await slack.fake.wait_for_answers([first_path, second_path])
    await asyncio.sleep(SETTLE)  # a second handling would have answered by now
    answered = [call.path for call in slack.fake.made("respond")]
    assert (answered.count(first_path), answered.count(second_path)) == (1, 1)
    assert await _incidents(engine, slack.fake) == before + 2


async def _refusing(engine: AsyncEngine, word: str) -> None:
    """The database refuses to store a request that says ``word``."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse_request() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.body::text LIKE '%{word}%' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_request BEFORE INSERT ON acceptedrequest "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_request()"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_request BEFORE INSERT ON acceptedrequest "
                    f"WHEN NEW.body LIKE '%{word}%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )


async def _refusing_no_more(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("DROP TRIGGER refuse_request ON acceptedrequest"))
            await connection.execute(text("DROP FUNCTION refuse_request()"))
        else:
            await connection.execute(text("DROP TRIGGER refuse_request"))


async def test_a_failing_batch_acknowledges_none_of_its_requests(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await quick_report(slack, '"Refused Co" scope_creep the first report')
    (first, first_path), (ordinary, ordinary_path), (refused, _refused_path) = [
        _command(slack.fake, f'"Refused Co" scope_creep {words}')
        for words in ("number one", "number two", "refuse-me")
    ]
    await _refusing(engine, "refuse-me")
    try:
        statuses = await _while_one_is_stored(slack, engine, first, [ordinary, refused])
    finally:
        await _refusing_no_more(engine)
    # The batch of two failed as one: neither was acknowledged, neither was kept.
    assert statuses[0] == 200
    assert 200 not in statuses[1:]
    assert set(await _accepted_at(engine, [first, ordinary, refused])) == {_key(first)}
    await slack.fake.wait_for_answers([first_path])
    # Slack tells the person it failed; sent again, it is stored and filed.
    assert (await slack.post(ordinary)).status == 200
    await slack.fake.wait_for_answers([ordinary_path])


async def test_marks_handled_still_waiting_at_shutdown_are_written(
    database_url: str, engine: AsyncEngine
) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UBEA")
        server = TestServer(create_app(slack_settings(database_url, fake)))
        await server.start_server()
        try:
            slack = SlackDriver(str(server.make_url("/")), fake)
            await quick_report(slack, '"Closing Co" scope_creep the first report')
            fake.delays["users.info"] = SETTLE  # Bea's requests are being handled meanwhile
            commands = [
                _command(fake, f'"Closing Co" scope_creep number {n}', "UBEA") for n in range(5)
            ]
            answers = await asyncio.gather(*(slack.post(body) for body, _path in commands))
            assert [answer.status for answer in answers] == [200] * 5
            async with _requests_table_locked(engine):
                closing = asyncio.create_task(server.close())
                await asyncio.sleep(2 * SETTLE)  # handled, their marks wait for the table
                assert not closing.done()
            await closing
        finally:
            await server.close()
    bodies = [body for body, _path in commands]
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT request_key FROM acceptedrequest WHERE handled_at IS NOT NULL")
        )
        handled = set(found.scalars())
    assert {_key(body) for body in bodies} <= handled


@pytest.mark.postgres_only
async def test_a_request_whose_time_runs_out_during_the_commit_is_not_kept() -> None:
    async with (
        fresh_postgres_database(postgres_url_or_skip()) as url,
        running_fake_slack() as fake,
    ):
        engine = create_engine(url)
        try:
            await upgrade_to_head(engine)
            fake.add_user("UANA")
            async with TestServer(create_app(slack_settings(url, fake))) as server:
                slack = SlackDriver(str(server.make_url("/")), fake)
                await quick_report(slack, '"Slow Co" scope_creep the first report')
                body, path = _command(fake, '"Slow Co" scope_creep slow-commit')
                async with engine.begin() as connection:
                    # The commit of a request that says so takes longer than Slack's wait.
                    await connection.execute(text(_SLOW_COMMIT))
                    await connection.execute(text(_SLOW_COMMIT_TRIGGER))
                assert (await slack.post(body)).status != 200
                await asyncio.sleep(SLOW_COMMIT_SECONDS - STORE_SECONDS + SETTLE)
                assert await _accepted_at(engine, [body]) == {}
                assert path not in [call.path for call in fake.made("respond")]
        finally:
            await engine.dispose()


SLOW_COMMIT_SECONDS = STORE_SECONDS + 1
_SLOW_COMMIT = (
    "CREATE FUNCTION slow_commit() RETURNS trigger AS $$ BEGIN "
    "IF NEW.body::text LIKE '%slow-commit%' THEN "
    f"PERFORM pg_sleep({SLOW_COMMIT_SECONDS}); END IF; "
    "RETURN NULL; END $$ LANGUAGE plpgsql"
)
_SLOW_COMMIT_TRIGGER = (
    "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON acceptedrequest "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()"
)
