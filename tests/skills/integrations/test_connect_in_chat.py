"""``/client settings connect stripe|zendesk <secret>``: managers only, the path in a private
reply, the secret kept encrypted and never repeated, audited or kept in clear."""

import dataclasses

from cryptography.fernet import Fernet
from sqlmodel import col, select

from skills.replies import Paragraph, Visibility
from storage.integration_models import Connection
from storage.models import AuditEvent
from tests.support.workspace import Workspace

KEY = Fernet.generate_key().decode()
SECRET = "whsec_chat_7d0c2b9e4f1a"


def _keyed(workspace: Workspace, key: str | None = KEY) -> Workspace:
    services = dataclasses.replace(workspace.services, secrets_key=key)
    return Workspace(services, workspace.clock, workspace.tenant_id)


async def test_a_manager_connects_stripe_and_sees_the_path_once(workspace: Workspace) -> None:
    keyed = _keyed(workspace)
    reply = await keyed.say(f"/client settings connect stripe {SECRET}", as_user="maria")

    assert reply.kind.value == "result", reply
    assert reply.visibility is Visibility.PRIVATE
    path = [block.text for block in reply.blocks if isinstance(block, Paragraph)][-1]
    assert path.startswith("/webhooks/stripe/")
    assert SECRET not in repr(reply)
    async with workspace.services.session_factory() as session:
        mine = select(Connection).where(col(Connection.tenant_id) == workspace.tenant_id)
        [row] = (await session.exec(mine)).all()
        events = (
            await session.exec(
                select(AuditEvent).where(col(AuditEvent.tenant_id) == workspace.tenant_id)
            )
        ).all()
    assert row.id == path.rsplit("/", 1)[1]
    assert SECRET not in row.secret_encrypted
    assert Fernet(KEY.encode()).decrypt(row.secret_encrypted.encode()).decode() == SECRET
    assert any(event.action == "connection.created" for event in events)
    assert all(SECRET not in repr(event) for event in events)


async def test_only_managers_connect_and_bad_secrets_are_refused(workspace: Workspace) -> None:
    keyed = _keyed(workspace)
    refused = await keyed.say(f"/client settings connect stripe {SECRET}", as_user="ana")
    assert refused.kind.value == "refused", refused
    not_stripes = await keyed.say("/client settings connect stripe abc", as_user="maria")
    assert not_stripes.data == {"error": "connect"}
    unknown = await keyed.say("/client settings connect hubspot abc", as_user="maria")
    assert unknown.data == {"error": "connect"}
    usage = await keyed.say("/client settings connect", as_user="maria")
    assert usage.data == {"error": "connect_usage"}
    async with workspace.services.session_factory() as session:
        mine = select(Connection).where(col(Connection.tenant_id) == workspace.tenant_id)
        assert (await session.exec(mine)).all() == []


async def test_without_a_secrets_key_nothing_is_kept(workspace: Workspace) -> None:
    reply = await _keyed(workspace, None).say(
        "/client settings connect zendesk c2VjcmV0", as_user="maria"
    )
    assert reply.data == {"error": "secrets_key"}
    assert "SECRETS_KEY" in reply.headline
