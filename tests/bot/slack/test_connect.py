"""A Slack manager connects Stripe with ``/client settings connect stripe <secret>``: the path
in an ephemeral reply, the secret nowhere in it, nor in the stored request once handled; the
connection takes Stripe's events at once."""

import asyncio
import json
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr
from sqlmodel import select

from bot.app import create_app
from storage.database import create_engine, create_session_factory
from storage.models import AcceptedRequest
from tests.bot.webhooks.conftest import SECRETS_KEY, invoice_event, stripe_header
from tests.support.fake_slack import running_fake_slack
from tests.support.slack_driver import SlackDriver, block_texts, slack_settings

SECRET = "whsec_slack_0b1e2d3c4f"


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[SlackDriver]:
    """The app with Slack and a secrets key; Ana (staff) and María (an admin)."""
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UMARIA", is_admin=True)
        settings = slack_settings(database_url, fake).model_copy(
            update={"secrets_key": SecretStr(SECRETS_KEY)}
        )
        async with TestServer(create_app(settings)) as server:
            yield SlackDriver(str(server.make_url("/")), fake)


async def test_a_manager_connects_stripe_privately(slack: SlackDriver, database_url: str) -> None:
    await slack.command("/client", f"settings connect stripe {SECRET}", user="UMARIA")
    [reply] = await slack.fake.wait_for("respond", 1)
    assert reply.args["response_type"] == "ephemeral"
    shown = block_texts(reply.args["blocks"])
    assert SECRET not in shown
    [path] = re.findall(r"/webhooks/stripe/[A-Za-z0-9_-]{32}", shown)

    payload = json.dumps(invoice_event("invoice.paid", "evt_slack", customer="cus_S", paid=1))
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{slack.url}{path.lstrip('/')}",
            data=payload,
            headers={"Stripe-Signature": stripe_header(payload, secret=SECRET)},
        ) as answer,
    ):
        assert (answer.status, await answer.json()) == (200, {"status": "held"})

    # The request was stored before it was acknowledged; once handled, what it said is gone.
    engine = create_engine(database_url)
    try:
        for _ in range(50):
            async with create_session_factory(engine)() as session:
                rows = (await session.exec(select(AcceptedRequest))).all()
            if all(row.handled_at is not None for row in rows):
                break
            await asyncio.sleep(0.1)
        assert rows
        assert all(SECRET not in json.dumps(row.body) for row in rows)
    finally:
        await engine.dispose()
