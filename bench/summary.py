"""How long the weekly summary takes on a large tenant: 10,000 clients, 1,000,000 reports.

    .venv/bin/python bench/summary.py [--clients 10000] [--incidents 1000000] [--runs 5]
                                      [--databases sqlite,postgresql]

Builds the data set in SQL (reports spread over 400 days, a third of them this window's
strikes, 300 escalations), then times the risk board's first page as ``/client list`` shows it,
the whole summary with its chart, its queries alone and its costly parts one by one, each the
median of ``--runs`` with the spread (min–max). PostgreSQL uses a fresh database on
BENCH_DATABASE_URL (default: the CI server), dropped afterwards. The targets: the board's first
page in 100 ms on PostgreSQL and 250 ms on SQLite, the summary with its chart in 500 ms and 1 s.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skills.clients.board import show_board
from skills.commands import ShowBoard
from skills.core.context import Actor, Services
from skills.core.scope import Scope, open_scope
from skills.core.tenancy import ensure_tenant
from skills.summary.chart import weekly_chart
from skills.summary.weekly import RISKIEST, WEEK, weekly_numbers, weekly_summary
from skills.text.i18n import translator
from storage.database import create_engine, create_session_factory, is_sqlite
from storage.migrate import upgrade_to_head
from tests.support.databases import fresh_postgres_database

TENANT = "bench:summary"
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CATEGORIES = (
    "scope_creep",
    "underpaying",
    "moving_goalposts",
    "attention_hog",
    "abuse",
    "non_payment",
    "unresponsive",
    "expectation_mismatch",
)


def _series(sqlite: bool, count: int) -> str:
    """A CTE ``g(x)`` of 1..count."""
    if sqlite:
        return f"WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {count})"
    return f"WITH g(x) AS (SELECT generate_series(1, {count}))"


def _moment(sqlite: bool, days: str) -> str:
    """A timestamp ``days`` (an SQL expression) before now, as each database stores it."""
    if sqlite:
        return f"strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || ({days}) || ' minutes') || '.000000'"
    return f"now() - (({days}) * interval '1 minute')"


async def build(engine: AsyncEngine, clients: int, incidents: int) -> None:
    """The tenant, its clients, reports and escalations, inserted by the database itself."""
    sqlite = is_sqlite(str(engine.url))
    random = "abs(random())" if sqlite else "floor(random() * 2147483647)::bigint"
    minutes = 400 * 24 * 60
    categories = " ".join(f"WHEN {index} THEN '{key}'" for index, key in enumerate(CATEGORIES))
    async with engine.begin() as connection:
        await connection.execute(
            text(f"""
            {_series(sqlite, clients)}
            INSERT INTO client (tenant_id, name, lookup_key, aliases, external_org_ids, state,
                                state_changed_at, created_at, created_by)
            SELECT '{TENANT}', 'Client ' || x, 'client' || x, '[]', '[]',
                   CASE WHEN x % 10 = 0 THEN 'threshold' WHEN x % 3 = 0 THEN 'watch' ELSE 'ok' END,
                   {_moment(sqlite, "0")}, {_moment(sqlite, str(minutes))}, 'bench'
            FROM g""")
        )
        first = (
            await connection.execute(
                text(f"SELECT min(id) FROM client WHERE tenant_id = '{TENANT}'")
            )
        ).scalar_one()
        await connection.execute(
            text(f"""
            {_series(sqlite, incidents)}
            INSERT INTO incident (tenant_id, client_id, category, severity, details, occurred_at,
                                  recorded_at, reporter_id, reporter_name)
            SELECT '{TENANT}', {first} + (x * CAST(7919 AS BIGINT)) % {clients},
                   CASE x % {len(CATEGORIES)} {categories} END,
                   CASE WHEN x % 50 = 0 THEN 'red' WHEN x % 5 = 0 THEN 'note' ELSE 'yellow' END,
                   'bench report', {_moment(sqlite, f"{random} % {minutes}")},
                   {_moment(sqlite, f"{random} % {minutes}")},
                   'U' || (x % 40), 'Person ' || (x % 40)
            FROM g""")
        )
        await connection.execute(
            text(f"""
            {_series(sqlite, 300)}
            INSERT INTO escalation (tenant_id, client_id, reason, status, opened_at,
                                    reminders_sent)
            SELECT '{TENANT}', {first} + (x * 31) % {clients}, 'strikes',
                   CASE WHEN x % 3 = 0 THEN 'open' ELSE 'decided' END,
                   {_moment(sqlite, f"{random} % (60 * 24 * 60)")}, 0
            FROM g""")
        )
    # Fresh statistics and PostgreSQL's visibility map (which index-only scans read), as
    # autovacuum would have on a database that grew to this size.
    async with engine.connect() as connection:
        if sqlite:
            await connection.execute(text("ANALYZE"))
            await connection.commit()
        else:
            # VACUUM runs outside a transaction.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))


async def timed(runs: int, work: Callable[[], Awaitable[object]]) -> str:
    """The median of ``runs`` timings of ``work`` and their spread (min–max), in milliseconds,
    after one warm-up."""
    await work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return f"{statistics.median(times):8.0f} ms  ({min(times):.0f}–{max(times):.0f})"


async def measure(url: str, args: argparse.Namespace) -> None:
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        await ensure_tenant(services, tenant_id=TENANT, platform="bench")
        started = time.perf_counter()
        await build(engine, args.clients, args.incidents)
        built = time.perf_counter() - started
        reader = Actor(TENANT, "bench", "Bench", is_admin=True)

        async def numbers() -> None:
            async with open_scope(services, reader) as scope:
                await weekly_numbers(scope, scope.now - WEEK, scope.now)

        async def summary() -> None:
            async with open_scope(services, reader) as scope:
                await weekly_summary(scope, scope.now - WEEK, scope.now)

        async def board() -> None:
            # As a user's ``/client list`` runs it (App Home shows the same page).
            async with open_scope(services, reader) as scope:
                await show_board(scope, ShowBoard())

        kind = "SQLite" if is_sqlite(url) else "PostgreSQL"
        print(
            f"{kind}: {args.clients:,} clients, {args.incidents:,} reports (built in {built:.0f} s)"
        )
        print(f"  risk board, first page  {await timed(args.runs, board)}")
        print(f"  summary with its chart  {await timed(args.runs, summary)}")
        print(f"  summary queries         {await timed(args.runs, numbers)}")
        for name, part in summary_parts(services, reader):
            print(f"    {name:<22}{await timed(args.runs, part)}")
    finally:
        await engine.dispose()


def summary_parts(
    services: Services, reader: Actor
) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
    """The summary's costly parts, each alone: where its time goes."""

    def query(work: Callable[[Scope], Awaitable[object]]) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            async with open_scope(services, reader) as scope:
                await work(scope)

        return run

    def riskiest(scope: Scope) -> Awaitable[object]:
        return scope.uow.summary.riskiest(
            scope.tenant.id,
            at=scope.now,
            before=scope.now - WEEK,
            window=scope.policy.window,
            limit=RISKIEST,
        )

    def recurring(scope: Scope) -> Awaitable[object]:
        window = scope.policy.window
        return scope.uow.summary.recurring_categories(
            scope.tenant.id,
            crossed_since=scope.now - window,
            reported_since=scope.now - 2 * window,
            until=scope.now,
        )

    def by_category(scope: Scope) -> Awaitable[object]:
        return scope.uow.summary.incidents_by_category(scope.tenant.id, scope.now - WEEK, scope.now)

    async def chart() -> None:
        counts = {key: 100 - index for index, key in enumerate(CATEGORIES)}
        weekly_chart(translator("en"), counts, counts, "Reports by category")

    return [
        ("riskiest clients", query(riskiest)),
        ("recurring categories", query(recurring)),
        ("a week's categories", query(by_category)),
        ("the chart", chart),
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    kinds = args.databases.split(",")
    if "sqlite" in kinds:
        with tempfile.TemporaryDirectory() as folder:
            await measure(f"sqlite+aiosqlite:///{folder}/bench.db", args)
    if "postgresql" in kinds:
        server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
        async with fresh_postgres_database(server) as url:
            await measure(url, args)


if __name__ == "__main__":
    asyncio.run(main())
