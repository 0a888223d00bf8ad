"""The book of business end to end, as a manager would run it: clients loaded from a CSV with
the command line, a month of tickets and invoices pushed through the signals API over HTTP with
a token the command line made, and who costs more than they pay read back in all four
languages (docs/clients.md, docs/api.md, docs/costs.md)."""

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from skills.text.i18n import supported_language, translator
from tests.support.databases import sqlite_url
from tests.support.processes import run, serving

BOOK = """name,billing_id,helpdesk_id,revenue,currency
Acme Corp,cus_acme,org_acme,500,EUR
Globex,cus_globex,org_globex,4000,EUR
Initech,,,,
"""


def _middle_of_last_month() -> datetime:
    """Noon on the 15th of the month before this one: last month, whatever day this runs."""
    first = datetime.now(UTC).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return (first - timedelta(days=1)).replace(day=15)


def _month_of_signals(at: datetime) -> list[dict[str, Any]]:
    """Acme: ten hour-long touches (600 EUR at 60 EUR an hour) against a 500 EUR invoice;
    Globex: one half-hour ticket against 4,000 EUR."""
    signals: list[dict[str, Any]] = [
        {
            "id": f"touch-{n}",
            "client": {"helpdesk_id": "org_acme"},
            "kind": "touch",
            "at": (at + timedelta(hours=n)).isoformat(),
            "minutes": 60,
        }
        for n in range(10)
    ]
    signals += [
        {
            "id": "inv-acme",
            "client": {"billing_id": "cus_acme"},
            "kind": "invoice_issued",
            "at": at.isoformat(),
            "amount": "500.00",
            "currency": "EUR",
            "due_at": (at + timedelta(days=30)).isoformat(),
        },
        {
            "id": "ticket-globex",
            "client": {"name": "Globex"},
            "kind": "ticket_solved",
            "at": at.isoformat(),
            "minutes": 30,
        },
        {
            "id": "inv-globex",
            "client": {"billing_id": "cus_globex"},
            "kind": "invoice_issued",
            "at": at.isoformat(),
            "amount": 4000,
            "currency": "EUR",
        },
        {
            "id": "nobody",
            "client": {"billing_id": "cus_unknown"},
            "kind": "touch",
            "at": at.isoformat(),
            "minutes": 5,
        },
    ]
    return signals


async def test_a_manager_loads_the_book_pushes_a_month_and_sees_who_costs_more(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "PORT": "0",
        "HOST": "127.0.0.1",
        "DATABASE_URL": sqlite_url(tmp_path),
        "WORKER_ENABLED": "0",
        "LOG_LEVEL": "info",
    }
    # The shell's first user manages the local workspace, and sets the cost of an hour.
    code, _out, err = await run(
        "shell", "-c", "/client settings hourly-cost 60 EUR", env=env, cwd=tmp_path
    )
    assert code == 0, err
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    code, out, err = await run(
        "clients", "import", str(book), "--tenant", "local", env=env, cwd=tmp_path
    )
    assert code == 0, err
    assert "Created: 3," in out
    code, out, err = await run(
        "api-token", "create", "--tenant", "local", "--name", "billing", env=env, cwd=tmp_path
    )
    assert code == 0, err
    token = out.strip().splitlines()[-1]

    signals = _month_of_signals(_middle_of_last_month())
    async with serving(env, tmp_path) as (url, _process), aiohttp.ClientSession() as http:
        for attempt in ("first", "replay"):
            async with http.post(
                f"{url}api/v1/signals",
                json={"source": "billing", "signals": signals},
                headers={"Authorization": f"Bearer {token}"},
            ) as answer:
                assert answer.status == 200, await answer.text()
                results = {item["id"]: item["status"] for item in (await answer.json())["results"]}
            expected = "accepted" if attempt == "first" else "duplicate"
            assert results == {
                **{signal["id"]: expected for signal in signals},
                "nobody": "rejected",
            }

    said: dict[str, str] = {}
    for locale in ("en", "es", "ja", "zh-Hant"):
        code, out, err = await run(
            "shell", "--locale", locale, "-c", '/client "Acme Corp"', env=env, cwd=tmp_path
        )
        assert code == 0, err
        said[locale] = out
    for locale, out in said.items():
        t = translator(supported_language(locale) or "en")
        assert t._("costs {ratio}× what it pays", ratio=t.number(Decimal("1.2"))) in out
    assert "costs 1.2× what it pays" in said["en"]

    code, out, err = await run("shell", "-c", "/client list cost", env=env, cwd=tmp_path)
    assert code == 0, err
    assert out.index("Acme Corp") < out.index("Globex") < out.index("Initech")

    code, out, err = await run("shell", "-c", "/client summary preview", env=env, cwd=tmp_path)
    assert code == 0, err
    costing = out[out.index("Clients costing more than they pay") :]
    assert "Acme Corp: 1.2×" in costing
    assert "Globex" not in costing
