"""How long cost against value takes on a large book: 10,000 clients, a month of signals.

    .venv/bin/python bench/costs.py [--clients 10000] [--signals 200000] [--runs 5]
                                    [--databases sqlite,postgresql]

Builds the data set in SQL (every client with a monthly revenue; last month's tickets and
touch points with minutes spread over the clients, and an invoice each), then times, each the
median of ``--runs`` with the spread (min–max): the board by cost (``/client list cost``, first
page and page 100), the risk board beside it, one client's card, the weekly summary's
"costing more than they pay" part, and a batch of 500 signals recorded as the API records it.
PostgreSQL uses a fresh database on BENCH_DATABASE_URL (default: the CI server), dropped
afterwards and analysed after the load (docs/costs.md).
"""

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import each_database
from bench.summary import timed
from skills.clients.board import show_board
from skills.clients.card import show_client
from skills.commands import ShowBoard, ShowClient
from skills.core.context import Actor, Services
from skills.core.scope import open_scope
from skills.core.tenancy import ensure_tenant
from skills.costs.month import last_full_month
from skills.costs.summary import costing_more
from skills.signals.checking import check_batch
from skills.signals.recording import record_batch
from skills.text.names import normalize
from storage.database import create_engine, create_session_factory, is_sqlite
from storage.migrate import upgrade_to_head

TENANT = "bench:costs"


async def build(engine: AsyncEngine, clients: int, signals: int, month_start: datetime) -> None:
    """``clients`` clients with a revenue in EUR and ``signals`` support signals of last month
    spread over them, and one invoice each; the workspace's hour costs 60 EUR."""
    now = datetime.now(UTC)
    client_rows = [
        {
            "tenant_id": TENANT,
            "name": f"Client {n:05d}",
            "lookup_key": normalize(f"Client {n:05d}"),
            "aliases": "[]",
            "external_org_ids": "[]",
            "monthly_revenue": 100 + n % 5000,
            "currency": "EUR",
            "billing_id": f"cus_{n:06d}",
            "state": "ok",
            "state_changed_at": now,
            "created_at": now,
            "created_by": "bench",
        }
        for n in range(1, clients + 1)
    ]
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE tenant SET hourly_cost = 60, currency = 'EUR' WHERE id = :id"),
            {"id": TENANT},
        )
        await connection.execute(
            text(
                "INSERT INTO client (tenant_id, name, lookup_key, aliases, external_org_ids, "
                "monthly_revenue, currency, billing_id, state, state_changed_at, created_at, "
                "created_by) VALUES (:tenant_id, :name, :lookup_key, :aliases, "
                ":external_org_ids, :monthly_revenue, :currency, :billing_id, :state, "
                ":state_changed_at, :created_at, :created_by)"
            ),
            client_rows,
        )
        first = (
            await connection.execute(
                text("SELECT min(id) FROM client WHERE tenant_id = :t"), {"t": TENANT}
            )
        ).scalar_one()
        number = count()
        signal_rows = [
            {
                "external_id": f"s{next(number)}",
                "client_id": first + n % clients,
                "kind": ("ticket_opened", "touch", "ticket_solved")[n % 3],
                "occurred_at": month_start + timedelta(minutes=n * 7 % (27 * 24 * 60)),
                "minutes": 5 + n % 90,
                "amount": None,
                "currency": None,
            }
            for n in range(signals)
        ] + [
            {
                "external_id": f"s{next(number)}",
                "client_id": first + n,
                "kind": "invoice_issued",
                "occurred_at": month_start + timedelta(days=2),
                "minutes": None,
                "amount": 100 + n * 37 % 9000,
                "currency": "EUR",
            }
            for n in range(clients)
        ]
        await connection.execute(
            text(
                "INSERT INTO signal (tenant_id, source, external_id, client_id, kind, "
                "occurred_at, minutes, amount, currency, received_at) VALUES (:tenant_id, "
                "'bench', :external_id, :client_id, :kind, :occurred_at, :minutes, :amount, "
                ":currency, :received_at)"
            ),
            [{**row, "tenant_id": TENANT, "received_at": now} for row in signal_rows],
        )
    async with engine.connect() as connection:
        # A fresh bulk load has no statistics yet (docs/costs.md says to analyse after one).
        await connection.execute(text("ANALYZE"))
        await connection.commit()


async def measure(url: str, args: argparse.Namespace) -> list[str]:
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        await ensure_tenant(services, tenant_id=TENANT, platform="bench")
        month = last_full_month(datetime.now(UTC), "UTC")
        started = time.perf_counter()
        await build(engine, args.clients, args.signals, month.start)
        built = time.perf_counter() - started
        reader = Actor(TENANT, "bench", "Bench", is_admin=True)

        async def run(command: ShowBoard | ShowClient) -> None:
            async with open_scope(services, reader) as scope:
                if isinstance(command, ShowBoard):
                    await show_board(scope, command)
                else:
                    await show_client(scope, command)

        async def card() -> None:
            await run(ShowClient("Client 04242"))

        async def summary_part() -> None:
            async with open_scope(services, reader) as scope:
                await costing_more(scope, scope.now)

        batches = count()

        async def batch_of_500() -> None:
            n = next(batches)
            at = (month.start + timedelta(days=5)).isoformat()
            batch = check_batch(
                {
                    "source": "bench-api",
                    "signals": [
                        {
                            "id": f"b{n}-{i}",
                            "client": {"billing_id": f"cus_{1 + i * 19 % args.clients:06d}"},
                            "kind": "touch",
                            "at": at,
                            "minutes": 10,
                        }
                        for i in range(500)
                    ],
                }
            )
            await record_batch(services, TENANT, batch)

        def board(page: int, by: str = "cost") -> Callable[[], Awaitable[None]]:
            return lambda: run(ShowBoard(page, by))

        kind = "SQLite" if is_sqlite(url) else "PostgreSQL"
        return [
            f"{kind}: {args.clients:,} clients, {args.signals:,} support signals and "
            f"{args.clients:,} invoices last month (built in {built:.0f} s)",
            f"  board by cost, page 1    {await timed(args.runs, board(1))}",
            f"  board by cost, page 100  {await timed(args.runs, board(100))}",
            f"  risk board, page 1       {await timed(args.runs, board(1, 'risk'))}",
            f"  a client's card          {await timed(args.runs, card)}",
            f"  summary: costing more    {await timed(args.runs, summary_part)}",
            f"  API batch of 500 signals {await timed(args.runs, batch_of_500)}",
        ]
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--signals", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print("\n".join(await each_database(args.databases, lambda _kind, url: measure(url, args))))


if __name__ == "__main__":
    asyncio.run(main())
