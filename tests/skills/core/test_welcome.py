"""Welcoming people once, what the welcome says to managers and to the staff, and the two ways
out of a missed installation: ``set up`` (once, not by guests) and the operator's record."""

import asyncio
import uuid

from skills.core.context import Actor, Services
from skills.core.scope import open_scope
from skills.core.tenancy import record_installation, set_up_missed_installation
from skills.core.welcome import queue_welcome, welcome
from skills.replies import Actions, ReplyKind
from skills.text.mentions import mention
from storage.models import OutboxMessage
from tests.support.scenarios import paragraph_text
from tests.support.workspace import Workspace


async def _welcomes(services: Services, tenant_id: str) -> list[OutboxMessage]:
    async with services.unit_of_work() as uow:
        rows = await uow.outbox.with_key_prefix(tenant_id, "welcome:")
        await uow.commit()
    return rows


async def test_each_person_is_welcomed_once_guests_never(workspace: Workspace) -> None:
    ana = workspace.person("ana", locale="es")
    queued = await asyncio.gather(*(queue_welcome(workspace.services, ana) for _ in range(3)))
    assert sorted(queued) == [False, False, True]
    assert not await queue_welcome(workspace.services, workspace.person("gus", is_guest=True))
    [row] = await _welcomes(workspace.services, workspace.tenant_id)
    assert (row.recipient_id, row.payload) == ("ana", {"admin": False, "locale": "es"})


async def test_the_welcome_tells_managers_and_staff_apart(workspace: Workspace) -> None:
    async with open_scope(workspace.services, workspace.person("maria")) as scope:
        to_manager = welcome(scope)
    async with open_scope(workspace.services, workspace.person("ana", locale="ja")) as scope:
        to_staff = welcome(scope)
    assert to_manager.data["manager"]
    assert not to_staff.data["manager"]
    assert "You are a manager" in paragraph_text(to_manager)
    assert f"The manager is {mention('maria')}." in paragraph_text(to_manager)
    assert f"マネージャーは{mention('maria')}です。" in paragraph_text(to_staff)
    assert "/client link" not in paragraph_text(to_staff)
    [staff_buttons] = [block for block in to_staff.blocks if isinstance(block, Actions)]
    assert [button.label for button in staff_buttons.buttons] == [
        "クライアントについて報告",
        "ヘルプ",
    ]


async def test_refusals_and_help_name_the_managers(workspace: Workspace) -> None:
    refused = await workspace.say("/client settings threshold 3", locale="zh-TW")
    assert refused.kind is ReplyKind.REFUSED
    assert f"請洽詢{mention('maria')}。" in paragraph_text(refused)
    helped = await workspace.say("/client help")
    assert f"The manager is {mention('maria')}." in paragraph_text(helped)
    as_guest = await workspace.say("/client help", is_guest=True)
    assert mention("maria") not in paragraph_text(as_guest)


async def test_set_up_makes_the_first_member_manager_once(services: Services) -> None:
    tenant_id = f"teams:{uuid.uuid4()}"
    guest = Actor(tenant_id, "gus", "Gus", is_guest=True)
    refused = await set_up_missed_installation(services, guest, platform="teams", language="en")
    assert refused.data == {"refused": "tenant.set_up", "reason": "guest"}

    ana, maria = Actor(tenant_id, "ana", "Ana"), Actor(tenant_id, "maria", "María")
    both = await asyncio.gather(
        set_up_missed_installation(services, ana, platform="teams", language="en"),
        set_up_missed_installation(services, maria, platform="teams", language="en"),
    )
    [first] = [reply for reply in both if reply.kind is ReplyKind.RESULT]
    [second] = [reply for reply in both if reply.kind is ReplyKind.REFUSED]
    founder = first.data["welcome"]
    assert first.data["set_up"]
    assert first.data["managers"] == [founder]
    assert second.data["reason"] == "installed"
    assert f"The manager is {mention(founder)}." in paragraph_text(second)
    # The founder read their welcome in the answer: the outbox does not send a second one.
    assert not await queue_welcome(services, ana if founder == "ana" else maria)


async def test_an_operator_records_an_installation(services: Services) -> None:
    tenant_id = f"teams:{uuid.uuid4()}"
    assert await record_installation(
        services, tenant_id, platform="teams", manager_id="m1", language="ja"
    )
    assert not await record_installation(
        services, tenant_id, platform="teams", manager_id="m2", language="en"
    )
    assert not await record_installation(
        services, tenant_id, platform="teams", manager_id="m2", language="en"
    )
    async with services.unit_of_work() as uow:
        tenant = await uow.tenants.get(tenant_id)
        assert tenant is not None
        assert (tenant.manager_ids, tenant.language) == (["m1", "m2"], "ja")
        created = await uow.audit.for_subject(tenant_id, "tenant", tenant_id)
        changed = await uow.audit.for_subject(tenant_id, "setting", "managers")
        await uow.commit()  # a rollback would expire the rows read
    assert [(event.actor_id, event.detail["how"]) for event in created] == [
        ("operator", "recorded by an operator")
    ]
    assert [event.detail["after"] for event in changed] == [["m1", "m2"]]
