"""The app on a free loopback port with a workspace connected to Stripe and Zendesk; events
signed the way Stripe and Zendesk sign them."""

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import BaseTestServer, TestServer
from sqlmodel import col, select

from bot.app import create_app
from bot.settings import Settings
from skills.core.context import Actor
from skills.core.scope import open_scope
from skills.integrations.connections import create_connection, path_of
from storage.book_models import Signal
from storage.integration_models import HeldSignal, UnmatchedAccount
from tests.bot.api.conftest import add_clients
from tests.support.secrets_key import SECRETS_KEY
from tests.support.workspace import Workspace

STRIPE_SECRET = "whsec_test_3f1b9c2d7e8a4b6c9d0e1f2a3b4c5d6e"
# The secret Zendesk's documentation uses in its verification example.
ZENDESK_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="


def stripe_header(payload: str, secret: str = STRIPE_SECRET, at: int | None = None) -> str:
    """``Stripe-Signature`` as Stripe makes it: ``t=<unix time>,v1=<hex HMAC-SHA256 of
    "<t>.<payload>">``."""
    signed_at = int(time.time()) if at is None else at
    digest = hmac.new(
        secret.encode(), f"{signed_at}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={signed_at},v1={digest}"


def zendesk_headers(
    body: bytes, secret: str = ZENDESK_SECRET, at: datetime | None = None
) -> dict[str, str]:
    """Zendesk's two headers: base64(HMAC-SHA256(secret, timestamp + body)), the timestamp
    in ISO 8601 UTC."""
    moment = at or datetime.now(UTC)
    timestamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return {
        "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
    }


def invoice_event(
    event_type: str,
    event_id: str,
    *,
    invoice: str = "in_1PqA",
    customer: str = "B-1",
    created: int = 1772442000,
    total: int = 12050,
    paid: int = 0,
    currency: str = "usd",
    due_date: int | None = 1775034000,
) -> dict[str, Any]:
    """An invoice event as Stripe's documentation shows one (the fields Yellowcard reads and
    some it never keeps, like the description and the lines' text)."""
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {
            "object": {
                "id": invoice,
                "object": "invoice",
                "account_country": "US",
                "amount_due": total,
                "amount_paid": paid,
                "amount_remaining": total - paid,
                "collection_method": "send_invoice",
                "currency": currency,
                "customer": customer,
                "customer_email": "billing@acme.example",
                "customer_name": "Acme Corporation",
                "description": "Support plan, March (free text nobody should keep)",
                "due_date": due_date,
                "lines": {
                    "object": "list",
                    "data": [{"id": "il_1", "description": "Gold plan", "amount": total}],
                },
                "number": "ACME-0042",
                "status": "paid" if paid else "open",
                "total": total,
            }
        },
    }


@dataclass
class Webhooks:
    """The running app, its workspace (Acme: billing B-1, help desk H-1; Globex: B-2) and
    the paths of its Stripe and Zendesk connections."""

    server: BaseTestServer
    workspace: Workspace
    stripe_path: str
    zendesk_path: str

    async def post(
        self, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """POST raw bytes; the status and the JSON answer."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                self.server.make_url(path),
                data=body,
                headers={**headers, "Content-Type": "application/json"},
            ) as response,
        ):
            return response.status, await response.json()

    async def stripe(
        self, event: dict[str, Any], *, header: str | None = None, path: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Send a Stripe event, signed with the connection's secret unless ``header``."""
        payload = json.dumps(event, indent=2)
        signature = stripe_header(payload) if header is None else header
        return await self.post(
            path or self.stripe_path, payload.encode(), {"Stripe-Signature": signature}
        )

    async def zendesk(self, body: dict[str, Any], **signing: Any) -> tuple[int, dict[str, Any]]:
        """Send a Zendesk trigger's body, signed as Zendesk signs it."""
        raw = json.dumps(body).encode()
        return await self.post(self.zendesk_path, raw, zendesk_headers(raw, **signing))

    async def signals(self) -> list[Signal]:
        """The workspace's signals, by id."""
        return await self._all(Signal)

    async def held(self) -> list[HeldSignal]:
        """The workspace's held signals, by id."""
        return await self._all(HeldSignal)

    async def accounts(self) -> list[UnmatchedAccount]:
        """The workspace's unmatched accounts, by id."""
        return await self._all(UnmatchedAccount)

    async def _all[Row: (Signal, HeldSignal, UnmatchedAccount)](
        self, table: type[Row]
    ) -> list[Row]:
        statement = (
            select(table)
            .where(col(table.tenant_id) == self.workspace.tenant_id)
            .order_by(col(table.id))
        )
        async with self.workspace.services.session_factory() as session:
            return list((await session.exec(statement)).all())


async def connect(workspace: Workspace, kind: str, secret: str) -> str:
    """A connection made by the workspace's manager; its path."""
    services = dataclasses.replace(workspace.services, secrets_key=SECRETS_KEY)
    async with open_scope(services, Actor(workspace.tenant_id, "maria", "María")) as scope:
        return path_of(await create_connection(scope, kind, secret))


@pytest.fixture
async def webhooks(database_url: str, workspace: Workspace) -> AsyncIterator[Webhooks]:
    """The app serving a workspace with Acme and Globex, connected to Stripe and Zendesk."""
    await add_clients(workspace)
    stripe_path = await connect(workspace, "stripe", STRIPE_SECRET)
    zendesk_path = await connect(workspace, "zendesk", ZENDESK_SECRET)
    settings = Settings(database_url=database_url, worker_enabled=False, secrets_key=SECRETS_KEY)
    async with TestServer(create_app(settings)) as server:
        yield Webhooks(server, workspace, stripe_path, zendesk_path)
