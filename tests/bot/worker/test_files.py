"""Files through the outbox, on an injected clock, to the fake Bot Connector over HTTP: an
export offered to a manager in Teams, put where they allowed it once however often they
answer, its upload address dropped once used, and nothing sent for a client forgotten first."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from bot.teams.file_consent import CONSENT_CARD
from bot.worker.build import build_dispatcher
from bot.worker.dispatcher import Dispatcher
from skills.commands import AnswerFileOffer
from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from skills.outbox.conversations import person_address, remember_conversation
from storage.database import create_session_factory
from storage.models import OutboxMessage
from tests.support.clock import FakeClock
from tests.support.fake_connector import FakeConnector, running_fake_connector
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace

MARIA = "aad-maria"
CHAT = "a:personal-29:maria"


@dataclass
class Office:
    """A Teams tenant driven through the skills, its dispatcher, and the fake connector."""

    workspace: Workspace
    connector: FakeConnector
    dispatcher: Dispatcher

    async def deliver(self) -> None:
        while await self.dispatcher.run_once():
            pass

    async def exports(self) -> list[OutboxMessage]:
        async with self.workspace.services.unit_of_work() as uow:
            rows = await uow.outbox.with_key_prefix(self.workspace.tenant_id, "export:")
            await uow.commit()
            return rows


@pytest.fixture
async def office(engine: AsyncEngine) -> AsyncIterator[Office]:
    clock = FakeClock()
    services = Services(create_session_factory(engine), clock)
    async with running_fake_connector() as connector:
        tenant_id = f"teams:{uuid.uuid4()}"
        await ensure_tenant(
            services,
            tenant_id=tenant_id,
            platform="teams",
            founder=Actor(tenant_id, MARIA, "Maria"),
        )
        reference = {"serviceUrl": connector.url, "conversation": {"id": CHAT}}
        await remember_conversation(
            services,
            tenant_id,
            person_address(MARIA),
            {"reference": reference, "kind": "personal", "shared": False},
        )
        settings = Settings(teams_allow_anonymous=True)
        dispatcher = build_dispatcher(settings, services, engine, CollectorRegistry())
        workspace = Workspace(services, clock, tenant_id)
        await new_client(workspace)
        yield Office(workspace, connector, dispatcher)


def _allowed(offer: int, session: str, connector: FakeConnector) -> AnswerFileOffer:
    upload = {
        "name": "Acme-Corp-export.json",
        "uploadUrl": connector.upload_url(session),
        "contentUrl": "https://contoso.sharepoint.com/personal/maria/Acme-Corp-export.json",
        "uniqueId": "1150D938",
        "fileType": "json",
    }
    return AnswerFileOffer(str(offer), accepted=True, destination=tuple(upload.items()))


async def test_allowed_twice_it_is_put_once_and_its_address_is_dropped(office: Office) -> None:
    ws = office.workspace
    queued = await ws.say('/client export "Acme Corp"', as_user=MARIA)
    await office.deliver()
    consent = [
        attachment
        for sent in office.connector.in_conversation(CHAT)
        for attachment in sent.activity.get("attachments") or []
        if attachment["contentType"] == CONSENT_CARD
    ]
    assert [item["name"] for item in consent] == ["Acme-Corp-export.json"]

    offer = queued.data["outbox_id"]
    first = await ws.run(_allowed(offer, "first", office.connector), as_user=MARIA)
    assert (first.blocks, first.data) == ((), {"accepted": offer})
    await ws.run(_allowed(offer, "second", office.connector), as_user=MARIA)
    await office.deliver()
    assert set(office.connector.uploads) == {"first"}
    rows = await office.exports()
    assert [row.status for row in rows] == ["sent", "sent"]
    assert all("destination" not in row.payload for row in rows)


async def test_a_client_forgotten_before_it_goes_is_not_sent(office: Office) -> None:
    ws = office.workspace
    await ws.say('/client export "Acme Corp"', as_user=MARIA)
    await ws.say('/client forget "Acme Corp" confirm', as_user=MARIA)
    await office.deliver()
    assert office.connector.in_conversation(CHAT) == []
    [row] = await office.exports()
    assert (row.status, row.last_error) == ("skipped", "the client was forgotten first")
