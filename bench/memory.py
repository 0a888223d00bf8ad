"""The memory (resident set) of the serving process, at rest, after a burst of quick reports,
and over a steady load.

    .venv/bin/python bench/memory.py [--requests 3000] [--concurrency 64]
                                     [--databases sqlite,postgresql]
    .venv/bin/python bench/memory.py --soak MINUTES [--rate 30] [--databases sqlite]

For each database: starts `yellowcard serve` (Slack pointed at a fake Web API in this process,
as bench/report.py does) and reads its VmRSS and VmHWM (the peak) from /proc/<pid>/status:

- burst (default): at rest after start, after 50 warm-up reports, after the given number of
  `/report-client` commands at the given concurrency (once their replies are all sent), and
  the peak;
- ``--soak``: ``--rate`` reports a second for the given minutes, a sample every 30 s, then the
  slope of the second half's samples (MB per 10 minutes) by least squares: "flat" as a number.

PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI server), dropped
afterwards.
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import ROOT, SECRET, USERS, _command, _load, _prepare, _start, each_database
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.processes import serve_environment

SAMPLE_SECONDS = 30
WARM_UP = 50
# Enough connections to keep the steady rate when a reply is slow, few enough to stay steady.
SOAK_CONCURRENCY = 8


def memory_mb(pid: int) -> tuple[float, float]:
    """The process's resident set now and its peak (VmRSS, VmHWM), in MB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024  # the kernel counts in kB
    return fields["VmRSS"], fields["VmHWM"]


def slope_per_10_minutes(samples: list[tuple[float, float]]) -> float:
    """The least-squares slope of (seconds, MB) samples, in MB per 10 minutes."""
    seconds = [at for at, _mb in samples]
    mbs = [mb for _at, mb in samples]
    return statistics.linear_regression(seconds, mbs).slope * 600


async def _reports(
    url: str, fake: FakeSlack, numbers: range, concurrency: int, refusals: list[int]
) -> None:
    """Send the reports numbered ``numbers`` and wait until each accepted one's reply is sent
    (the reply follows its commit). A report the server could not store in time is refused
    (Slack would retry it): its status goes to ``refusals``."""
    before = len(fake.made("respond")) + len(refusals)
    await _load(url, [_command(fake, number) for number in numbers], concurrency, refusals)
    await fake.wait_for("respond", before + len(numbers) - len(refusals), within=600)


async def _serving(database_url: str, fake: FakeSlack) -> tuple[asyncio.subprocess.Process, str]:
    for user in USERS:
        fake.add_user(user)
    await _prepare(database_url, fake)
    env = serve_environment(database_url, fake, signing_secret=SECRET, SLACK_BOT_TOKEN="xoxb-bench")
    process, port = await _start(
        [str(ROOT / ".venv" / "bin" / "yellowcard"), "serve"],
        {**env, "LOG_LEVEL": "info"},
        r"listening on http://[\d.]+:(\d+)",
    )
    return process, f"http://127.0.0.1:{port}/slack/events"


async def burst(database: str, database_url: str, requests: int, concurrency: int) -> list[str]:
    """One database's row: MB at rest, after the warm-up, after the burst, and the peak."""
    async with running_fake_slack() as fake:
        process, url = await _serving(database_url, fake)
        try:
            await asyncio.sleep(1)  # the worker's first ticks
            rest, _peak = memory_mb(process.pid)
            refusals: list[int] = []
            await _reports(url, fake, range(WARM_UP), 8, refusals)
            warm, _peak = memory_mb(process.pid)
            await _reports(url, fake, range(WARM_UP, WARM_UP + requests), concurrency, refusals)
            after, peak = memory_mb(process.pid)
        finally:
            process.terminate()
            await process.wait()
    return [
        f"| {database} | {rest:.0f} | {warm:.0f} | {after:.0f} | {peak:.0f} | {len(refusals)} |"
    ]


async def soak(database: str, database_url: str, minutes: float, rate: int) -> list[str]:
    """One database's samples over a steady load, and the second half's slope."""
    async with running_fake_slack() as fake:
        process, url = await _serving(database_url, fake)
        samples: list[tuple[float, float]] = []
        refusals: list[int] = []
        try:
            started = time.monotonic()
            next_sample = started
            number = 0
            while (now := time.monotonic()) < started + minutes * 60:
                if now >= next_sample:
                    rss, _peak = memory_mb(process.pid)
                    samples.append((now - started, rss))
                    print(f"{now - started:6.0f} s  {rss:6.1f} MB", flush=True)
                    next_sample += SAMPLE_SECONDS
                # One second's reports, then wait out the rest of the second.
                bodies = [_command(fake, n) for n in range(number, number + rate)]
                await _load(url, bodies, SOAK_CONCURRENCY, refusals)
                number += rate
                await asyncio.sleep(max(0.0, now + 1 - time.monotonic()))
            rss, peak = memory_mb(process.pid)
            samples.append((time.monotonic() - started, rss))
        finally:
            process.terminate()
            await process.wait()
    second_half = samples[len(samples) // 2 :]
    rss_values = [mb for _at, mb in samples]
    return [
        f"| {database} | {number:,} | {len(refusals)} | {len(samples)} | {rss_values[0]:.0f} "
        f"| {min(rss_values):.0f} | {max(rss_values):.0f} | {rss_values[-1]:.0f} | {peak:.0f} "
        f"| {slope_per_10_minutes(second_half):+.1f} |"
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="a steady load instead")
    parser.add_argument("--rate", type=int, default=30, help="reports a second in --soak")
    args = parser.parse_args()
    if args.soak:
        rows = [
            "| database | reports | refused | samples | first MB | min MB | max MB | last MB "
            "| peak MB | second half, MB per 10 min |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        rows += await each_database(
            args.databases, lambda database, url: soak(database, url, args.soak, args.rate)
        )
    else:
        rows = [
            "| database | at rest MB | after warm-up MB "
            f"| after {args.requests:,} reports MB | peak MB | refused |",
            "|---|---|---|---|---|---|",
        ]
        rows += await each_database(
            args.databases,
            lambda database, url: burst(database, url, args.requests, args.concurrency),
        )
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
