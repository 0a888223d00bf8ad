"""The app on a free loopback port beside a workspace with clients, and a manager's token."""

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import BaseTestServer, TestServer
from sqlmodel import col, select

from bot.app import create_app
from bot.settings import Settings
from skills.replies import Paragraph
from storage.book_models import Signal
from tests.support.factories import client_row
from tests.support.workspace import Workspace


@dataclass
class SignalsApi:
    """The running app, the workspace it serves and a token of that workspace."""

    server: BaseTestServer
    workspace: Workspace
    token: str

    async def post(
        self, body: object, *, token: str | None = None, raw: bytes | None = None
    ) -> tuple[int, Any, Mapping[str, str]]:
        """POST a batch (or ``raw`` bytes) with the token (``token`` instead, "" for none);
        the status, the JSON answer and the headers."""
        sent = self.token if token is None else token
        headers = {"Authorization": f"Bearer {sent}"} if sent else {}
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                self.server.make_url("/api/v1/signals"),
                json=None if raw is not None else body,
                data=raw,
                headers={**headers, "Content-Type": "application/json"},
            ) as response,
        ):
            return response.status, await response.json(), response.headers

    async def stored(self, tenant_id: str | None = None) -> list[Signal]:
        """The signals a tenant (the workspace's by default) holds, by id."""
        tenant = tenant_id or self.workspace.tenant_id
        statement = select(Signal).where(col(Signal.tenant_id) == tenant).order_by(col(Signal.id))
        async with self.workspace.services.session_factory() as session:
            return list((await session.exec(statement)).all())


async def add_clients(workspace: Workspace) -> None:
    """Acme (billing id B-1, help-desk id H-1, alias "ACME Inc") and Globex (billing id B-2)."""
    async with workspace.services.unit_of_work() as uow:
        await uow.clients.add(
            client_row(
                workspace.tenant_id,
                name="Acme",
                lookup_key="acme",
                aliases=["ACME Inc"],
                billing_id="B-1",
                helpdesk_id="H-1",
            )
        )
        await uow.clients.add(
            client_row(workspace.tenant_id, name="Globex", lookup_key="globex", billing_id="B-2")
        )
        await uow.commit()


async def make_token(workspace: Workspace, name: str = "helpdesk") -> str:
    """A token made by the workspace's manager in chat (the last paragraph of the reply)."""
    reply = await workspace.say(f"/client settings api-token create {name}", as_user="maria")
    assert reply.kind.value == "result", reply
    return [block.text for block in reply.blocks if isinstance(block, Paragraph)][-1]


def api_settings(database_url: str, *, per_minute: int = 1000) -> Settings:
    """The app without its background worker, with a rate the tests choose."""
    return Settings(
        database_url=database_url, worker_enabled=False, api_requests_per_minute=per_minute
    )


@pytest.fixture
async def signals_api(database_url: str, workspace: Workspace) -> AsyncIterator[SignalsApi]:
    """The API serving a workspace with Acme and Globex, and a token of it."""
    await add_clients(workspace)
    token = await make_token(workspace)
    async with TestServer(create_app(api_settings(database_url))) as server:
        yield SignalsApi(server, workspace, token)
