"""How long one very long `/client <name>` holds up everyone else's requests.

    .venv/bin/python bench/long_names.py [--clients 1000] [--length 40000] [--runs 5]
                                         [--databases sqlite,postgresql]

For each database: a workspace of ``--clients`` clients (names in several scripts), and
`yellowcard serve` with Slack pointed at a fake Web API in this process. Other people's
`/client <name>` commands arrive at a steady pace the whole time (the probes, 20 a second);
after a second, one `/client` command whose name matches no client: ``--length`` characters
long, or, as the yardstick, an everyday 17-character one. A run ends when that command's "did
you mean" answer is posted. The delay it added is the slowest probe acknowledgement while it
was being handled, less the probes' median before it was sent. The two names alternate for
``--runs`` rounds; each run is printed, then the median and the range. The target: under 50 ms
added by the long name. PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI
server), dropped afterwards.
"""

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import ROOT, SECRET, _signed, _start, bench_workspace, each_database
from skills.clients.lookup import create_client
from skills.core.scope import open_scope
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.processes import serve_environment

# 20 probes a second: on SQLite, well below what one process answers (each is a card, and
# each acknowledgement waits for the request to be stored), so the probes measure waiting, not
# a queue of their own.
PROBE_EVERY = 0.05
BASELINE_SECONDS = 1.0
# Probes right after start-up or a previous run are left out of the baseline.
SETTLE_SECONDS = 0.3
AFTER_SECONDS = 0.3
PROBERS = [f"U{n:04d}" for n in range(20)]
LONG_SENDER = "ULONG"
UNKNOWN = "No client is called"
# The yardstick: the same request with an everyday name that is no client's either.
SHORT_UNKNOWN = "Northwind Trading"
WORDS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka")
KINDS = ("Logistics", "Holdings", "Consulting", "Labs", "Retail", "Foods", "Media", "Systems")
# Every tenth name is not ASCII: accents, kana and Han take the longer way through normalising.
ABROAD = ("Café Olé", "Müller & Söhne", "株式会社アクメ", "台灣積體電路", "Ñandú Viajes")


def client_name(number: int) -> str:
    """The ``number``-th client's name: "Wonka Media 117", "株式会社アクメ 120"…"""
    if number % 10 == 0:
        return f"{ABROAD[number // 10 % len(ABROAD)]} {number}"
    return f"{WORDS[number % len(WORDS)]} {KINDS[number // len(WORDS) % len(KINDS)]} {number}"


def long_name(length: int) -> str:
    """A name of ``length`` characters that is no client's: a pasted page, say."""
    page = "Northwind Trading Company of the Seven Seas, est. 1887, Zürich und Genève. "
    return (page * (length // len(page) + 1))[:length]


def _command(fake: FakeSlack, user: str, text: str) -> str:
    return urlencode(
        {
            "team_id": fake.team_id,
            "channel_id": "C1",
            "user_id": user,
            "command": "/client",
            "text": text,
            "api_app_id": "A1",
            "response_url": fake.response_url(),
            "trigger_id": f"{uuid.uuid4().hex}.t",
        }
    )


@dataclass
class Probe:
    """One probe request: when it was sent and acknowledged (perf_counter seconds)."""

    sent: float
    acknowledged: float
    status: int

    @property
    def latency(self) -> float:
        """Its acknowledgement latency, in seconds."""
        return self.acknowledged - self.sent


@dataclass
class Run:
    """One run's timings, in milliseconds."""

    answered: float
    baseline: float
    slowest: float
    # Probes answered with anything but 200 while the command was being handled.
    refused: int

    @property
    def added(self) -> float:
        """The delay the long request added to the slowest probe it overlapped."""
        return max(self.slowest - self.baseline, 0.0)


async def _post(http: aiohttp.ClientSession, url: str, body: str) -> tuple[float, int]:
    """Send one signed request; when it was answered, and its status."""
    async with http.post(url, data=body.encode(), headers=_signed(body)) as response:
        await response.read()
    return time.perf_counter(), response.status


async def _probe(http: aiohttp.ClientSession, url: str, body: str, probes: list[Probe]) -> None:
    sent = time.perf_counter()
    probes.append(Probe(sent, *await _post(http, url, body)))


async def _answered_after(fake: FakeSlack, seen: int, within: float = 600) -> float:
    """When the answer to the long request was posted: the first reply after the ``seen``-th
    that says no client has that name (polled; probes get cards)."""
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        replies = fake.made("respond")
        for call in replies[seen:]:
            if UNKNOWN in str(call.args.get("text", "")):
                return time.perf_counter()
        seen = len(replies)
        await asyncio.sleep(0.002)
    raise TimeoutError(f"the long request was not answered within {within} s")


async def one_run(
    http: aiohttp.ClientSession, url: str, fake: FakeSlack, clients: int, name: str
) -> Run:
    """Probes at a steady pace, and ``/client "<name>"`` after BASELINE_SECONDS, until it is
    answered."""
    probes: list[Probe] = []
    tasks: list[asyncio.Task[None]] = []
    stop = asyncio.Event()

    async def pace() -> None:
        started = time.perf_counter()
        for count in range(1_000_000):
            if stop.is_set():
                return
            user = PROBERS[count % len(PROBERS)]
            body = _command(fake, user, f'"{client_name(count % clients)}"')
            tasks.append(asyncio.create_task(_probe(http, url, body, probes)))
            # A fixed schedule: a stalled server does not slow the probes down, they queue.
            await asyncio.sleep(max(started + (count + 1) * PROBE_EVERY - time.perf_counter(), 0))

    pacer = asyncio.create_task(pace())
    started = time.perf_counter()
    await asyncio.sleep(BASELINE_SECONDS)
    seen = len(fake.made("respond"))
    sent = time.perf_counter()
    _acknowledged, status = await _post(http, url, _command(fake, LONG_SENDER, f'"{name}"'))
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    answered = await _answered_after(fake, seen)
    await asyncio.sleep(AFTER_SECONDS)
    stop.set()
    await pacer
    await asyncio.gather(*tasks)
    before = [p.latency for p in probes if started + SETTLE_SECONDS <= p.sent < sent]
    during = [p for p in probes if p.sent < answered and p.acknowledged > sent]
    return Run(
        answered=(answered - sent) * 1000,
        baseline=statistics.median(before) * 1000,
        slowest=max(p.latency for p in during) * 1000,
        refused=sum(p.status != 200 for p in during),
    )


async def bench(
    database: str, database_url: str, clients: int, length: int, runs: int
) -> list[str]:
    """One database's rows of the results table; every run printed on the way."""
    async with running_fake_slack() as fake:
        for user in [*PROBERS, LONG_SENDER]:
            fake.add_user(user)
        async with (
            bench_workspace(database_url, fake, PROBERS[0]) as (services, actor),
            open_scope(services, actor) as scope,
        ):
            for number in range(clients):
                await create_client(scope, client_name(number))
            await scope.uow.commit()
        env = serve_environment(
            database_url,
            fake,
            signing_secret=SECRET,
            SLACK_BOT_TOKEN="xoxb-bench",
            WORKER_ENABLED="0",
        )
        server, port = await _start(
            [str(ROOT / ".venv" / "bin" / "yellowcard"), "serve"],
            env,
            r"listening on http://[\d.]+:(\d+)",
        )
        names = {"short": SHORT_UNKNOWN, "long": long_name(length)}
        results: dict[str, list[Run]] = {kind: [] for kind in names}
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as http:
                for name in names.values():  # warm-up, not counted
                    await one_run(http, url, fake, clients, name)
                # The short name and the long one alternate, so a busy moment of the machine
                # falls on both.
                for number in range(1, runs + 1):
                    for kind, name in names.items():
                        run = await one_run(http, url, fake, clients, name)
                        print(
                            f"{database} run {number}, {len(name):,}-character name: answered"
                            f" in {run.answered:.0f} ms; probes {run.baseline:.1f} ms before,"
                            f" slowest {run.slowest:.1f} ms during: {run.added:.1f} ms added"
                            + (f"; {run.refused} probes refused" if run.refused else "")
                        )
                        results[kind].append(run)
        finally:
            server.terminate()
            await server.wait()
    return [_row(database, clients, len(names[kind]), results[kind]) for kind in names]


def _row(database: str, clients: int, length: int, runs: list[Run]) -> str:
    added = sorted(run.added for run in runs)
    return (
        f"| {database} | {clients:,} | {length:,} "
        f"| {statistics.median(run.answered for run in runs):.0f} "
        f"| {statistics.median(run.baseline for run in runs):.1f} "
        f"| {statistics.median(added):.1f} ({added[0]:.1f}–{added[-1]:.1f}) |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--length", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    rows = [
        "| database | clients | name length | its answer, ms | probe ack p50, ms "
        "| added to other requests, ms: median (range) |",
        "|---|---|---|---|---|---|",
    ]
    rows += await each_database(
        args.databases,
        lambda database, url: bench(database, url, args.clients, args.length, args.runs),
    )
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
