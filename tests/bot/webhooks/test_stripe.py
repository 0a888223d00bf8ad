"""``POST /webhooks/stripe/{connection}`` through real HTTP, with events shaped and signed as
Stripe's documentation shows: verified first, each event once, whatever the order."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import aiohttp
import pytest
import stripe
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet
from sqlmodel import col, select

from bot.app import create_app
from bot.settings import Settings
from skills.core.context import Actor
from skills.core.scope import open_scope
from skills.integrations.connections import revoke_connection
from storage.models import Client
from storage.repositories.client_costs import OverdueInvoice
from tests.bot.webhooks.conftest import (
    STRIPE_SECRET,
    Webhooks,
    invoice_event,
    stripe_header,
)

LATER = datetime(2030, 1, 1, tzinfo=UTC)


def test_the_tests_sign_as_stripe_verifies() -> None:
    payload = json.dumps(invoice_event("invoice.paid", "evt_1"))
    header = stripe_header(payload)
    assert stripe.WebhookSignature.verify_header(payload, header, STRIPE_SECRET, 300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(payload, header, "whsec_other", 300)


async def test_a_finalized_invoice_is_an_issued_invoice_of_its_client(
    webhooks: Webhooks,
) -> None:
    status, answer = await webhooks.stripe(invoice_event("invoice.finalized", "evt_issued"))

    assert (status, answer) == (200, {"status": "recorded"})
    [signal] = await webhooks.signals()
    assert (signal.source, signal.external_id, signal.kind) == (
        "stripe",
        "evt_issued",
        "invoice_issued",
    )
    assert (signal.amount, signal.currency, signal.invoice_id) == (
        Decimal("120.50"),
        "USD",
        "in_1PqA",
    )
    assert signal.occurred_at == datetime.fromtimestamp(1772442000, UTC)


async def test_zero_decimal_currencies_are_whole_amounts(webhooks: Webhooks) -> None:
    event = invoice_event("invoice.finalized", "evt_yen", currency="jpy", total=50000)
    assert (await webhooks.stripe(event))[0] == 200
    [signal] = await webhooks.signals()
    assert (signal.amount, signal.currency) == (Decimal("50000"), "JPY")


async def test_a_forged_or_stale_event_changes_nothing(webhooks: Webhooks) -> None:
    event = invoice_event("invoice.paid", "evt_forged", paid=12050)
    payload = json.dumps(event)
    forged = stripe_header(payload, secret="whsec_not_the_connections")
    stale = stripe_header(payload, at=int(time.time()) - 301)
    tampered = stripe_header(payload.replace("12050", "1"))

    for header in (forged, stale, tampered, "", "t=1,v1=nothex"):
        status, answer = await webhooks.stripe(event, header=header)
        assert status == 400, header
        assert answer["error"] == "bad_signature"
    assert await webhooks.signals() == []
    assert await webhooks.accounts() == []


async def test_a_replayed_event_is_kept_once(webhooks: Webhooks) -> None:
    event = invoice_event("invoice.paid", "evt_paid", paid=12050)
    assert await webhooks.stripe(event) == (200, {"status": "recorded"})
    assert await webhooks.stripe(event) == (200, {"status": "duplicate"})
    assert [signal.external_id for signal in await webhooks.signals()] == ["evt_paid"]


async def test_an_event_arriving_in_pieces_is_read_whole_before_it_is_verified(
    webhooks: Webhooks,
) -> None:
    # An invoice of many lines, sent in pieces with pauses between them, as a body crosses a
    # slow network. A body read only as far as it had arrived never verified.
    event = invoice_event("invoice.paid", "evt_large", paid=12050)
    lines = [{"id": f"il_{n}", "description": "Gold plan", "amount": 1} for n in range(500)]
    event["data"]["object"]["lines"]["data"] = lines
    payload = json.dumps(event, indent=2).encode()

    async def in_pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 8192):
            yield payload[start : start + 8192]
            await asyncio.sleep(0.01)

    headers = {"Stripe-Signature": stripe_header(payload.decode())}
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            webhooks.server.make_url(webhooks.stripe_path), data=in_pieces(), headers=headers
        ) as answer,
    ):
        assert (answer.status, await answer.json()) == (200, {"status": "recorded"})


async def test_an_unknown_or_revoked_connection_is_not_found(webhooks: Webhooks) -> None:
    event = invoice_event("invoice.paid", "evt_1", paid=12050)
    assert (await webhooks.stripe(event, path="/webhooks/stripe/nosuchid"))[0] == 404
    # A Zendesk connection's id is not a Stripe one.
    zendesk_id = webhooks.zendesk_path.rsplit("/", 1)[1]
    assert (await webhooks.stripe(event, path=f"/webhooks/stripe/{zendesk_id}"))[0] == 404
    workspace = webhooks.workspace
    async with open_scope(workspace.services, Actor(workspace.tenant_id, "maria", "M")) as scope:
        await revoke_connection(scope, webhooks.stripe_path.rsplit("/", 1)[1])
    assert (await webhooks.stripe(event))[0] == 404
    assert await webhooks.signals() == []


async def test_an_unknown_customer_is_held_not_lost(webhooks: Webhooks) -> None:
    issued = invoice_event("invoice.finalized", "evt_new_1", customer="cus_Unknown")
    overdue = invoice_event("invoice.overdue", "evt_new_2", customer="cus_Unknown")

    assert await webhooks.stripe(issued) == (200, {"status": "held"})
    assert await webhooks.stripe(overdue) == (200, {"status": "held"})
    assert await webhooks.stripe(overdue) == (200, {"status": "held"})

    assert await webhooks.signals() == []
    [account] = await webhooks.accounts()
    assert (account.source, account.external_id, account.display_name) == (
        "stripe",
        "cus_Unknown",
        "Acme Corporation",
    )
    held = await webhooks.held()
    assert [(signal.external_id, signal.kind) for signal in held] == [
        ("evt_new_1", "invoice_issued"),
        ("evt_new_2", "invoice_overdue"),
    ]
    assert {signal.account_id for signal in held} == {account.id}


async def test_a_customers_new_name_helps_matching_and_never_renames_a_client(
    webhooks: Webhooks,
) -> None:
    def updated(customer: str, name: str) -> dict[str, object]:
        return {
            "id": f"evt_{customer}",
            "object": "event",
            "created": 1772442000,
            "type": "customer.updated",
            "data": {
                "object": {"id": customer, "object": "customer", "name": name},
                "previous_attributes": {"name": "Old"},
            },
        }

    # A name alone of a customer nobody heard of: no account to list (not every customer of a
    # billing system is a client), no message to the managers.
    assert await webhooks.stripe(updated("cus_New", "Initech")) == (200, {"status": "ignored"})
    assert await webhooks.accounts() == []
    issued = invoice_event("invoice.finalized", "evt_new_1", customer="cus_New")
    assert await webhooks.stripe(issued) == (200, {"status": "held"})
    assert await webhooks.stripe(updated("cus_New", "Initech")) == (200, {"status": "ignored"})
    assert await webhooks.stripe(updated("B-1", "Acme Holdings")) == (
        200,
        {"status": "ignored"},
    )

    [account] = await webhooks.accounts()
    assert (account.external_id, account.display_name) == ("cus_New", "Initech")
    assert await _client_names(webhooks) == {"Acme", "Globex"}


async def test_paid_before_overdue_leaves_nothing_overdue(webhooks: Webhooks) -> None:
    """Stripe does not promise the order: a payment that arrives first still settles the
    invoice it pays."""
    paid = invoice_event("invoice.paid", "evt_b_paid", created=1775300000, paid=12050)
    overdue = invoice_event("invoice.overdue", "evt_b_overdue", created=1775100000)
    issued = invoice_event("invoice.finalized", "evt_b_issued", created=1772442000)
    for event in (paid, overdue, issued):
        assert (await webhooks.stripe(event))[0] == 200

    assert await _overdue(webhooks) == []
    kinds = sorted(signal.kind for signal in await webhooks.signals())
    assert kinds == ["invoice_issued", "invoice_overdue", "invoice_paid"]


async def test_an_overdue_invoice_is_overdue_until_paid(webhooks: Webhooks) -> None:
    # A declined charge before the due date, or on an invoice with none, is not overdue.
    early = invoice_event("invoice.payment_failed", "evt_c_early", invoice="in_C")
    automatic = invoice_event("invoice.payment_failed", "evt_c_auto", due_date=None)
    assert await webhooks.stripe(early) == (200, {"status": "ignored"})
    assert await webhooks.stripe(automatic) == (200, {"status": "ignored"})
    assert await _overdue(webhooks) == []
    failed = invoice_event(
        "invoice.payment_failed", "evt_c_failed", invoice="in_C", created=1775100000
    )
    assert (await webhooks.stripe(failed))[0] == 200
    [overdue] = await _overdue(webhooks)
    assert (overdue.invoice, overdue.amount, overdue.currency) == (
        "in_C",
        Decimal("120.50"),
        "USD",
    )
    assert overdue.due_at == datetime.fromtimestamp(1775034000, UTC)


async def test_a_voided_invoice_no_longer_counts_whatever_the_order(webhooks: Webhooks) -> None:
    issued = invoice_event("invoice.finalized", "evt_v_issued", invoice="in_V")
    overdue = invoice_event("invoice.overdue", "evt_v_overdue", invoice="in_V")
    voided = invoice_event("invoice.voided", "evt_v_voided", invoice="in_V")
    other = invoice_event("invoice.finalized", "evt_w_issued", invoice="in_W")
    for event in (issued, other, voided):
        assert (await webhooks.stripe(event))[0] == 200
    # Late, and replayed: the invoice stays voided.
    assert await webhooks.stripe(overdue) == (200, {"status": "voided"})
    assert await webhooks.stripe(issued) == (200, {"status": "voided"})

    kept = [(signal.invoice_id, signal.kind) for signal in await webhooks.signals()]
    assert sorted(kept) == [("in_V", "invoice_voided"), ("in_W", "invoice_issued")]
    assert await _overdue(webhooks) == []


async def test_other_events_are_answered_and_ignored(webhooks: Webhooks) -> None:
    event = invoice_event("invoice.created", "evt_draft")
    assert await webhooks.stripe(event) == (200, {"status": "ignored"})
    assert await webhooks.signals() == []


async def _overdue(webhooks: Webhooks) -> list[OverdueInvoice]:
    async with webhooks.workspace.services.unit_of_work() as uow:
        return list(await uow.client_costs.overdue(webhooks.workspace.tenant_id, LATER))


async def _client_names(webhooks: Webhooks) -> set[str]:
    statement = select(Client.name).where(col(Client.tenant_id) == webhooks.workspace.tenant_id)
    async with webhooks.workspace.services.session_factory() as session:
        return set((await session.exec(statement)).all())


async def test_a_signed_body_that_is_not_json_or_too_big_changes_nothing(
    webhooks: Webhooks,
) -> None:
    for payload, expected in (("not json", 400), ("x" * (512 * 1024 + 1), 413)):
        status, _ = await webhooks.post(
            webhooks.stripe_path, payload.encode(), {"Stripe-Signature": stripe_header(payload)}
        )
        assert status == expected
    assert await webhooks.signals() == []


async def test_under_another_key_the_secret_is_unreadable_and_nothing_changes(
    webhooks: Webhooks, database_url: str
) -> None:
    settings = Settings(
        database_url=database_url,
        worker_enabled=False,
        secrets_key=Fernet.generate_key().decode(),
    )
    async with TestServer(create_app(settings, migrate=False)) as other:
        elsewhere = Webhooks(other, webhooks.workspace, webhooks.stripe_path, "")
        status, answer = await elsewhere.stripe(invoice_event("invoice.paid", "evt_key"))
    assert (status, answer["error"]) == (503, "not_configured")
    assert await webhooks.signals() == []
