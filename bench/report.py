"""How fast quick reports are filed, against a bare slack-bolt app that only acknowledges.

    .venv/bin/python bench/report.py [--requests 2000] [--concurrency 32] [--rounds 3]
                                     [--databases sqlite,postgresql]

For each database: starts `yellowcard serve` (Slack pointed at a fake Web API in this process)
and the bare app (bench/bare_slack_app.py), and in each round sends the same signed
`/report-client` commands at the given concurrency to one, then the other. Prints, as medians
over the rounds with their range, acknowledgements per second, p50/p99 acknowledgement latency
and, for Yellowcard, the reports committed per second (a report's private reply is sent after
its commit, so the fake counts commits); then the two ratios the targets name, per round:
committed reports/s over the bare app's acks/s, and Yellowcard's p99 over the bare app's.
PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI server), dropped
afterwards.
"""

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skills.commands import ReportIncident
from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from tests.support.databases import fresh_postgres_database
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.processes import serve_environment

SECRET = "bench-signing-secret"
USERS = [f"U{n:04d}" for n in range(50)]
CLIENTS = 100
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def _signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


def _command(fake: FakeSlack, number: int) -> str:
    return urlencode(
        {
            "team_id": fake.team_id,
            "channel_id": "C1",
            "user_id": USERS[number % len(USERS)],
            "command": "/report-client",
            "text": f'"Client {number % CLIENTS}" scope_creep request number {number}',
            "api_app_id": "A1",
            "response_url": fake.response_url(),
            "trigger_id": f"{uuid.uuid4().hex}.t",
        }
    )


async def _load(
    url: str, bodies: list[str], concurrency: int, refusals: list[int] | None = None
) -> tuple[float, list[float]]:
    """Send every body; the wall time and each acknowledgement's latency. An answer other than
    200 stops the run, unless ``refusals`` is given: its status is then added there."""
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                async with http.post(url, data=body.encode(), headers=_signed(body)) as response:
                    await response.read()
                    if response.status != 200 and refusals is not None:
                        refusals.append(response.status)
                    elif response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}")
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


async def _start(
    args: list[str], env: dict[str, str], pattern: str
) -> tuple[asyncio.subprocess.Process, int]:
    process = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stream = process.stderr if "listening" in pattern else process.stdout
    assert stream is not None
    async with asyncio.timeout(60):
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise RuntimeError(f"{args[0]} exited before listening")
            found = re.search(pattern, line)
            if found:
                # Keep reading, or a full pipe would stall the server.
                asyncio.get_running_loop().create_task(_drain(stream))
                return process, int(found.group(1))


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


@asynccontextmanager
async def both_apps(env: dict[str, str]) -> AsyncIterator[tuple[str, str]]:
    """``yellowcard serve`` and the bare bolt app as processes; their /slack/events URLs."""
    yellowcard, port = await _start(
        [str(ROOT / ".venv" / "bin" / "yellowcard"), "serve"],
        # serve says which port it took at info level.
        {**env, "LOG_LEVEL": "info"},
        r"listening on http://[\d.]+:(\d+)",
    )
    bare, bare_port = await _start(
        [sys.executable, str(ROOT / "bench" / "bare_slack_app.py")], env, r"^(\d+)"
    )
    try:
        yield (
            f"http://127.0.0.1:{port}/slack/events",
            f"http://127.0.0.1:{bare_port}/slack/events",
        )
    finally:
        for process in (yellowcard, bare):
            process.terminate()
            await process.wait()


@asynccontextmanager
async def bench_workspace(
    database_url: str, fake: FakeSlack, user: str
) -> AsyncIterator[tuple[Services, Actor]]:
    """The migrated database with the fake workspace's tenant set up, and ``user`` of it."""
    engine = create_engine(database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        tenant = f"slack:{fake.team_id}"
        await ensure_tenant(services, tenant_id=tenant, platform="slack")
        yield services, Actor(tenant, user, "Bench")
    finally:
        await engine.dispose()


async def _prepare(database_url: str, fake: FakeSlack) -> None:
    async with bench_workspace(database_url, fake, USERS[0]) as (services, actor):
        for number in range(CLIENTS):
            note = ReportIncident(
                f"Client {number}", "expectation_mismatch", "x", create_client=True
            )
            await handle(services, actor, note)


async def each_database(
    databases: str, run: Callable[[str, str], Awaitable[list[str]]]
) -> list[str]:
    """``run(kind, url)`` on a temporary SQLite file and a fresh PostgreSQL database (on
    BENCH_DATABASE_URL's server), as ``databases`` lists them; their rows together."""
    rows: list[str] = []
    for database in [kind for kind in databases.split(",") if kind]:
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                rows += await run(database, f"sqlite+aiosqlite:///{folder}/bench.db")
        else:
            server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
            async with fresh_postgres_database(server) as url:
                rows += await run(database, url)
    return rows


@dataclass(frozen=True)
class Round:
    """One round's figures for one app: acknowledgements per second, p50 and p99 latency (ms)
    and, for Yellowcard, reports committed per second."""

    acks: float
    p50: float
    p99: float
    committed: float | None = None


def measured(wall: float, latencies: list[float], committed: float | None = None) -> Round:
    """A round's figures from its wall time and acknowledgement latencies."""
    ordered = sorted(latencies)
    return Round(
        acks=len(ordered) / wall,
        p50=statistics.median(ordered) * 1000,
        p99=ordered[int(len(ordered) * 0.99) - 1] * 1000,
        committed=committed,
    )


def spread(values: list[float], shown: str = "{:,.0f}") -> str:
    """The median of ``values`` and, over several, their range."""
    median = shown.format(statistics.median(values))
    if len(values) == 1:
        return median
    return f"{median} ({shown.format(min(values))}–{shown.format(max(values))})"


def summary_rows(name: str, rounds: list[Round]) -> list[str]:
    """Table rows (medians, with the range over the rounds)."""
    rates = [r.committed for r in rounds if r.committed is not None]
    return [
        f"| {name} | {spread([r.acks for r in rounds])} | {spread(rates) if rates else '—'} "
        f"| {spread([r.p50 for r in rounds], '{:.1f}')} "
        f"| {spread([r.p99 for r in rounds], '{:.1f}')} |"
    ]


def result_row(name: str, wall: float, latencies: list[float], rate: float | None) -> str:
    """A results table row: acknowledgements per second, the app's own rate (committed or
    counted per second, when it has one), p50 and p99 acknowledgement latency."""
    [row] = summary_rows(name, [measured(wall, latencies, rate)])
    return row


async def bench(
    database: str, database_url: str, requests: int, concurrency: int, rounds: int
) -> tuple[list[str], list[str]]:
    """One database's rows of the results table and of the ratios table. Rounds alternate
    between Yellowcard and the bare app, so a busy moment of the machine falls on both."""
    async with running_fake_slack() as fake:
        for user in USERS:
            fake.add_user(user)
        await _prepare(database_url, fake)
        env = serve_environment(
            database_url,
            fake,
            signing_secret=SECRET,
            SLACK_BOT_TOKEN="xoxb-bench",
        )
        mine: list[Round] = []
        bare: list[Round] = []
        async with both_apps(env) as (url, bare_url):
            warm = [_command(fake, n) for n in range(50)]
            await _load(url, warm, 8)
            await fake.wait_for("respond", len(warm), within=60)
            for _ in range(rounds):
                bodies = [_command(fake, n) for n in range(requests)]
                before = len(fake.made("respond"))
                started = time.perf_counter()
                wall, latencies = await _load(url, bodies, concurrency)
                await fake.wait_for("respond", before + requests, within=600)
                committed = requests / (time.perf_counter() - started)
                mine.append(measured(wall, latencies, committed))
                bare.append(measured(*await _load(bare_url, bodies, concurrency)))
    shares = [m.committed / b.acks for m, b in zip(mine, bare, strict=True) if m.committed]
    p99s = [m.p99 / b.p99 for m, b in zip(mine, bare, strict=True)]
    return (
        summary_rows(f"Yellowcard, {database}", mine)
        + summary_rows(f"bare slack-bolt, {database}", bare),
        [f"| {database} | {spread(shares, '{:.3f}')} | {spread(p99s, '{:.1f}×')} |"],
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ratios = [
        "| database | reports committed/s ÷ bare acks/s | p99 ack ÷ bare p99 |",
        "|---|---|---|",
    ]

    async def run(database: str, url: str) -> list[str]:
        rows, shares = await bench(database, url, args.requests, args.concurrency, args.rounds)
        ratios.extend(shares)
        return rows

    rows = [
        "| app, database | acks/s | reports committed/s | p50 ack ms | p99 ack ms |",
        "|---|---|---|---|---|",
    ]
    rows += await each_database(args.databases, run)
    print(f"{args.requests:,} requests, concurrency {args.concurrency}, {args.rounds} rounds:")
    print("medians, (min–max) over the rounds\n")
    print("\n".join(rows))
    print()
    print("\n".join(ratios))


if __name__ == "__main__":
    asyncio.run(main())
