"""A suggested report in Slack, end to end: an invoice overdue past the workspace's
non-payment days pushed through the signals API over HTTP, one private message to the account
owner with the evidence and a one-click prefilled report, the report filed from it, and a
replayed batch that changes nothing. The app runs on the system clock, so the invoice's dates
are counted back from now."""

import asyncio
import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from tests.bot.webhooks.conftest import STRIPE_SECRET, invoice_event, stripe_header
from tests.support.slack_driver import SlackDriver, block_buttons, block_texts


async def _answer(slack: SlackDriver, text: str, user: str = "UANA") -> str:
    before = len(slack.fake.made("respond"))
    assert (await slack.command("/client", text, user=user)).status == 200
    [*_, answer] = await slack.fake.wait_for("respond", before + 1)
    return block_texts(answer.args["blocks"])


def overdue_invoice(now: datetime, customer: str) -> dict[str, Any]:
    """A batch from billing: the customer's invoice, due 75 days ago and reported overdue."""
    return {
        "source": "stripe",
        "signals": [
            {
                "id": "evt_overdue_1",
                "client": {"billing_id": customer},
                "kind": "invoice_overdue",
                "at": (now - timedelta(days=45)).isoformat(),
                "amount": "1200.00",
                "currency": "EUR",
                "due_at": (now - timedelta(days=75)).isoformat(),
                "invoice_id": "in_1",
            }
        ],
    }


async def push(url: str, token: str, batch: dict[str, Any]) -> list[str]:
    """POST the batch to the signals API; each item's status."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{url}api/v1/signals", json=batch, headers={"Authorization": f"Bearer {token}"}
        ) as answer,
    ):
        assert answer.status == 200, await answer.text()
        return [item["status"] for item in (await answer.json())["results"]]


async def suggestion_rows(engine: AsyncEngine, tenant_id: str) -> int:
    """How many suggestion messages the tenant's outbox ever held."""
    async with AsyncSession(engine) as session:
        statement = select(func.count()).where(
            col(OutboxMessage.tenant_id) == tenant_id, col(OutboxMessage.kind) == "suggestion"
        )
        return int((await session.exec(statement)).one())


def _suggestions_to(slack: SlackDriver, dm: str) -> list[tuple[tuple[str, str], dict[str, Any]]]:
    return [
        (key, args)
        for key, args in slack.fake.messages.items()
        if key[0] == dm and "Suggested report" in block_texts(args["blocks"])
    ]


async def test_an_overdue_invoice_reaches_its_owner_once_with_a_one_click_report(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    added = await _answer(
        slack, 'add "Acme Corp" billing-id=cus_acme owner=<@UANA|ana>', user="UMARIA"
    )
    assert "Acme Corp" in added
    shown = await _answer(slack, "settings api-token create billing", user="UMARIA")
    [token] = re.findall(r"yc_[A-Za-z0-9_-]{43}", shown)

    batch = overdue_invoice(datetime.now(UTC), "cus_acme")
    assert await push(slack.url, token, batch) == ["accepted"]
    await slack.fake.wait_for("chat.postMessage")
    assert await push(slack.url, token, batch) == ["duplicate"]
    await asyncio.sleep(0.3)  # time for a second message to show up, if there were one
    [(where, message)] = _suggestions_to(slack, "DANA")
    assert _suggestions_to(slack, "DMARIA") == []
    assert await suggestion_rows(engine, f"slack:{slack.fake.team_id}") == 1
    text = block_texts(message["blocks"])
    assert "Suggested report: Acme Corp has not paid an invoice" in text
    assert "in_1" in text
    assert "€1,200.00 (75 days)" in text
    buttons = block_buttons(message["blocks"])
    assert list(buttons) == ["File this report", "Not now"]
    assert "Suggested: a non-payment report (invoice in_1" in await _answer(slack, '"Acme Corp"')

    before = len(slack.fake.made("respond"))
    await slack.click(buttons["File this report"], user="UANA", message=where)
    [*_, filed] = await slack.fake.wait_for("respond", before + 1)
    filed_text = block_texts(filed.args["blocks"])
    assert "Report filed about Acme Corp" in filed_text
    assert "Unpaid invoices" in filed_text

    card = await _answer(slack, '"Acme Corp"')
    assert "Suggested:" not in card
    assert "Invoice in_1 is unpaid" in card


def overdue_stripe_event(now: datetime, customer: str) -> str:
    """Stripe's ``invoice.overdue`` for the customer's invoice of 1,200 EUR, due 75 days ago,
    as Stripe sends it (the payload is signed as these exact bytes)."""
    event = invoice_event(
        "invoice.overdue",
        "evt_overdue_1",
        invoice="in_1",
        customer=customer,
        created=int((now - timedelta(days=45)).timestamp()),
        total=120_000,
        currency="eur",
        due_date=int((now - timedelta(days=75)).timestamp()),
    )
    return json.dumps(event, indent=2)


async def post_stripe(url: str, payload: str, signature: str) -> int:
    """POST a Stripe event to the connection's URL; the HTTP status."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            url,
            data=payload.encode(),
            headers={"Stripe-Signature": signature, "Content-Type": "application/json"},
        ) as answer,
    ):
        return answer.status


async def test_an_overdue_stripe_invoice_reaches_its_owner_once_and_forgeries_change_nothing(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await _answer(slack, 'add "Acme Corp" billing-id=cus_acme owner=<@UANA|ana>', user="UMARIA")
    connected = await _answer(slack, f"settings connect stripe {STRIPE_SECRET}", user="UMARIA")
    [path] = re.findall(r"/webhooks/stripe/[A-Za-z0-9_-]+", connected)
    url = slack.url + path.lstrip("/")
    payload = overdue_stripe_event(datetime.now(UTC), "cus_acme")
    tenant = f"slack:{slack.fake.team_id}"

    forged = stripe_header(payload, secret="whsec_not_the_connections")
    stale = stripe_header(payload, at=int(time.time()) - 3600)
    assert [await post_stripe(url, payload, header) for header in (forged, stale)] == [400, 400]
    await asyncio.sleep(0.3)
    assert await suggestion_rows(engine, tenant) == 0
    assert _suggestions_to(slack, "DANA") == []

    assert await post_stripe(url, payload, stripe_header(payload)) == 200
    await slack.fake.wait_for("chat.postMessage")
    assert await post_stripe(url, payload, stripe_header(payload)) == 200  # Stripe retries
    await asyncio.sleep(0.3)  # time for a second message to show up, if there were one
    [(where, message)] = _suggestions_to(slack, "DANA")
    assert await suggestion_rows(engine, tenant) == 1
    text = block_texts(message["blocks"])
    assert "Suggested report: Acme Corp has not paid an invoice" in text
    assert "€1,200.00 (75 days)" in text
    buttons = block_buttons(message["blocks"])
    before = len(slack.fake.made("respond"))
    await slack.click(buttons["File this report"], user="UANA", message=where)
    [*_, filed] = await slack.fake.wait_for("respond", before + 1)
    assert "Report filed about Acme Corp" in block_texts(filed.args["blocks"])
