"""The report skill alone: CPU per filed report, in process, no HTTP.

    .venv/bin/python bench/filing.py [--reports 2000] [--rounds 3]
                                     [--databases sqlite,postgresql] [--profile N]

Files quick reports (``ReportIncident`` through ``skills.dispatch.handle``, as every surface
does) one after the other against 100 clients, from 50 people, and prints the process's CPU time
per report (all of its threads: aiosqlite's included; the PostgreSQL server's is not) and the
wall time, as the median of the rounds with their spread. ``--profile N`` prints the N
functions that took the most time (``--sort``, cumulative by default) over one more round
(``cProfile``). PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI
server), dropped afterwards.
"""

import argparse
import asyncio
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import CLIENTS, USERS, bench_workspace, each_database
from skills.commands import ReportIncident
from skills.core.context import Actor, Services
from skills.dispatch import handle
from tests.support.fake_slack import running_fake_slack


async def file_reports(services: Services, actor: Actor, first: int, count: int) -> None:
    """File ``count`` quick reports, numbered from ``first``, each with its own key."""
    for number in range(first, first + count):
        reporter = Actor(actor.tenant_id, USERS[number % len(USERS)], "Bench")
        command = ReportIncident(
            f"Client {number % CLIENTS}",
            "scope_creep",
            f"request number {number}",
            idempotency_key=f"bench-{number}",
        )
        await handle(services, reporter, command)


async def bench(database: str, url: str, args: argparse.Namespace) -> list[str]:
    """One database's row: CPU and wall milliseconds per report."""
    async with running_fake_slack() as fake, bench_workspace(url, fake, USERS[0]) as workspace:
        services, actor = workspace
        for number in range(CLIENTS):
            note = ReportIncident(
                f"Client {number}", "expectation_mismatch", "x", create_client=True
            )
            await handle(services, actor, note)
        await file_reports(services, actor, 10_000_000, 100)  # warm up
        cpu, wall = [], []
        for round_number in range(args.rounds):
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            await file_reports(services, actor, round_number * args.reports, args.reports)
            cpu.append((time.process_time() - cpu_start) * 1000 / args.reports)
            wall.append((time.perf_counter() - wall_start) * 1000 / args.reports)
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            await file_reports(services, actor, 20_000_000, args.reports)
            profile.disable()
            print(f"## {database}")
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.profile)
    return [f"| {database} | {_spread(cpu)} | {_spread(wall)} |"]


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    args = parser.parse_args()
    rows = [
        "| database | CPU ms per report, median (min–max) | wall ms per report |",
        "|---|---|---|",
    ]
    rows += await each_database(args.databases, lambda kind, url: bench(kind, url, args))
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
