"""How fast message events of a linked channel are handled, against a bare slack-bolt app that
only acknowledges them, and how fast the abuse detector reads messages on its own.

    .venv/bin/python bench/events.py [--events 3000] [--concurrency 32] [--rounds 3]
                                     [--databases sqlite,postgresql] [--detector 50000]

For each database: starts `yellowcard serve` (Slack pointed at a fake Web API in this process)
and the bare app, sends both the same signed Events API message deliveries (a linked channel;
staff and client messages, one in fifty abusive), in rounds that alternate between the two, and
prints acknowledgements per second, p50/p99 acknowledgement latency, and for Yellowcard the
events counted per second (until the last one is in the database), from the round of median
ratio; every round's ratio is printed too. Then the detector alone, over the labelled
evaluation set, repeated.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import SECRET, _load, bench_workspace, both_apps, each_database, result_row
from evaluation.abuse import LABELLED
from skills.commands import LinkChannel, ReportIncident
from skills.dispatch import handle
from skills.listening.abuse import detect
from storage.database import create_engine
from storage.models import ContactSignal
from tests.support.fake_slack import FakeSlack, running_fake_slack

CHANNEL = "CSUPPORT"
STAFF = [f"U{n:04d}" for n in range(20)]
CLIENT_PEOPLE = [f"W{n:04d}" for n in range(5)]
ORDINARY = (
    "Any news on the export? We need it by Friday.",
    "Thanks, that fixed it.",
    "Could you send the invoice again?",
    "The dashboard is slow again this morning",
)
ABUSIVE = "You are all useless idiots."
# One message in fifty is abusive: far more than a real channel, enough to pay for the notes.
ABUSIVE_EVERY = 50


def _event(fake: FakeSlack, number: int) -> str:
    author = (CLIENT_PEOPLE + STAFF)[number % (len(CLIENT_PEOPLE) + len(STAFF))]
    return json.dumps(
        {
            "token": "legacy",
            "team_id": fake.team_id,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex}",
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel": CHANNEL,
                "user": author,
                "text": ABUSIVE
                if number % ABUSIVE_EVERY == 0
                else ORDINARY[number % len(ORDINARY)],
                "ts": f"{time.time():.6f}",
                "channel_type": "channel",
            },
            "authorizations": [{"team_id": fake.team_id, "user_id": "UBOT", "is_bot": True}],
        }
    )


async def _prepare(database_url: str, fake: FakeSlack) -> None:
    async with bench_workspace(database_url, fake, STAFF[0]) as (services, actor):
        report = ReportIncident("Acme", "expectation_mismatch", "x", create_client=True)
        await handle(services, actor, report)
        await handle(services, actor, LinkChannel("Acme", channel=CHANNEL))


async def _until_counted(database_url: str, expected: int, within: float = 600) -> None:
    """Poll the database until ``expected`` messages are counted."""
    engine = create_engine(database_url)
    total = select(func.sum(ContactSignal.client_messages + ContactSignal.staff_messages))
    try:
        for _ in range(int(within / 0.05)):
            async with engine.connect() as connection:
                if int((await connection.execute(total)).scalar() or 0) >= expected:
                    return
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    raise TimeoutError(f"fewer than {expected} messages counted after {within} s")


async def bench(
    database: str, database_url: str, events: int, concurrency: int, rounds: int
) -> list[str]:
    """One database's rows of the results table: the round whose ratio of events counted to
    the bare app's acknowledgements is the median."""
    async with running_fake_slack() as fake:
        for user in STAFF:
            fake.add_user(user)
        for user in CLIENT_PEOPLE:
            fake.add_user(user, team_id="TCLIENTORG")
        fake.add_channel(CHANNEL, name="acme-support", members=STAFF[:3] + CLIENT_PEOPLE[:1])
        await _prepare(database_url, fake)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "LOG_LEVEL": "warning",
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url + "api/",
            "WORKER_ENABLED": "0",
        }
        async with both_apps(env) as (url, bare_url):
            warm = [_event(fake, n) for n in range(100)]
            await _load(url, warm, 8)
            await _until_counted(database_url, len(warm))
            counted_so_far = len(warm)
            mine: list[tuple[float, list[float], float]] = []
            bare: list[tuple[float, list[float]]] = []
            # Rounds alternate between the two apps, so a busy moment of the machine falls on
            # both; the round of median ratio is reported.
            for _ in range(rounds):
                bodies = [_event(fake, n) for n in range(events)]
                started = time.perf_counter()
                wall, latencies = await _load(url, bodies, concurrency)
                counted_so_far += events
                await _until_counted(database_url, counted_so_far)
                mine.append((wall, latencies, events / (time.perf_counter() - started)))
                bare.append(await _load(bare_url, bodies, concurrency))
        ratios = [
            counted / (events / bare_wall)
            for (_w, _l, counted), (bare_wall, _b) in zip(mine, bare, strict=True)
        ]
        middle = sorted(range(rounds), key=ratios.__getitem__)[rounds // 2]
        (wall, latencies, counted), (bare_wall, bare_latencies) = mine[middle], bare[middle]
        shown = ", ".join(f"{ratio:.0%}" for ratio in ratios)
        print(f"{database}: events counted per second / bare acknowledgements: {shown}")
        return [
            result_row(f"Yellowcard, {database}", wall, latencies, counted),
            result_row(f"bare slack-bolt, {database}", bare_wall, bare_latencies, None),
        ]


def detector_rate(messages: int) -> float:
    """Messages per second the detector reads, over the evaluation set repeated."""
    texts = [
        json.loads(line)["text"]
        for path in sorted(LABELLED.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    sample = (texts * (messages // len(texts) + 1))[:messages]
    for text in texts:  # compile the term lists and the marks' class outside the timing
        detect(text)
    started = time.perf_counter()
    for text in sample:
        detect(text)
    return messages / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--detector", type=int, default=50_000)
    args = parser.parse_args()
    rows = [
        "| app, database | acks/s | events counted/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    rows += await each_database(
        args.databases,
        lambda database, url: bench(database, url, args.events, args.concurrency, args.rounds),
    )
    print("\n".join(rows))
    print(f"detector alone: {detector_rate(args.detector):,.0f} messages/s")


if __name__ == "__main__":
    asyncio.run(main())
