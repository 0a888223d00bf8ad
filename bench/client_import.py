"""How long a 10,000-line client CSV takes to import, on SQLite and PostgreSQL.

    .venv/bin/python bench/client_import.py [--lines 10000] [--runs 3]
                                            [--databases sqlite,postgresql]

Generates the file (every column filled: names, other names, segments, tiers, revenues in
three currencies, owners, billing and help-desk ids, notes), then times, on a fresh database
each run: the first import (every line creates a client, with its audit event), a dry run of
the same file (every line found, nothing changed), and a second file that changes every
client's tier and revenue. Each figure is the median of ``--runs`` with the spread (min–max).
PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI server), dropped
afterwards. The target: 10,000 lines in under 10 seconds on both.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skills.clients.csv_import import CSV_COLUMNS, import_clients
from skills.core.context import Actor, Services
from skills.core.scope import open_scope
from skills.core.tenancy import ensure_tenant
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from tests.support.databases import fresh_postgres_database, sqlite_url

TENANT = "bench:import"
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SEGMENTS = ("ideal", "adjacent", "outside")
CURRENCIES = ("EUR", "USD", "JPY")


def book(lines: int, *, changed: bool = False) -> str:
    """A CSV of ``lines`` clients; ``changed`` gives each another tier and revenue."""
    rows = [",".join(CSV_COLUMNS)]
    for n in range(1, lines + 1):
        tier = "platinum" if changed else ("gold", "silver", "bronze")[n % 3]
        revenue = f"{n * 7 % 90_000 + (500 if changed else 100)}.50"
        rows.append(
            f'Client {n:05d} Ltd,"C{n:05d}, Client {n:05d}",{SEGMENTS[n % 3]},{tier},{revenue},'
            f'{CURRENCIES[n % 3]},U{n % 40:04d}OWNER,cus_{n:06d},org_{n:06d},"Account {n}, '
            f'renewal in {n % 12 + 1} months"'
        )
    return "\n".join(rows) + "\n"


async def timed(services: Services, text: str, *, dry_run: bool = False) -> float:
    """Seconds one import takes, from the text to the commit."""
    actor = Actor(TENANT, "cli:bench", "bench")
    started = time.perf_counter()
    async with open_scope(services, actor) as scope:
        result = await import_clients(scope, text, dry_run=dry_run)
    elapsed = time.perf_counter() - started
    assert not result.errors, result.errors[:3]
    return elapsed


async def one_run(url: str, first: str, second: str) -> tuple[float, float, float]:
    """The three timings on a fresh, migrated database."""
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        founder = Actor(TENANT, "U0000OWNER", "bench")
        await ensure_tenant(services, tenant_id=TENANT, platform="slack", founder=founder)
        created = await timed(services, first)
        dry = await timed(services, first, dry_run=True)
        changed = await timed(services, second)
        return created, dry, changed
    finally:
        await engine.dispose()


async def measure(database: str, args: argparse.Namespace) -> list[tuple[float, float, float]]:
    """``--runs`` runs on fresh databases of one kind."""
    first, second = book(args.lines), book(args.lines, changed=True)
    runs = []
    for _ in range(args.runs):
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                runs.append(await one_run(sqlite_url(Path(folder)), first, second))
        else:
            server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
            async with fresh_postgres_database(server) as url:
                runs.append(await one_run(url, first, second))
    return runs


def spread(values: list[float]) -> str:
    """Median and min–max, in seconds."""
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


async def main() -> None:
    """Run each database's measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{args.lines} lines, {args.runs} runs each (median, min–max)")
    for database in args.databases.split(","):
        runs = await measure(database, args)
        print(f"{database}:")
        print(f"  first import (creates all):    {spread([run[0] for run in runs])}")
        print(f"  dry run (all found, unchanged): {spread([run[1] for run in runs])}")
        print(f"  changing every client:          {spread([run[2] for run in runs])}")


if __name__ == "__main__":
    asyncio.run(main())
