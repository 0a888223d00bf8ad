"""``/client settings api-token``: managers make, list and revoke the signals API's tokens;
a token is shown once, privately, and stored only as its SHA-256."""

import hashlib

from skills.replies import Paragraph, Visibility
from storage.book_models import ApiToken
from tests.support.workspace import Workspace


def _texts(reply: object) -> list[str]:
    return [block.text for block in reply.blocks if isinstance(block, Paragraph)]  # type: ignore[attr-defined]


async def _stored(ws: Workspace) -> list[tuple[str, str, str, object]]:
    """Each stored token's name, hash, maker and revocation."""
    async with ws.services.unit_of_work() as uow:
        tokens: list[ApiToken] = await uow.api_tokens.all(ws.tenant_id)
        return [(row.name, row.token_hash, row.created_by, row.revoked_at) for row in tokens]


async def test_a_manager_makes_a_token_shown_once_and_stored_hashed(workspace: Workspace) -> None:
    ws = workspace
    made = await ws.say("/client settings api-token create billing", as_user="maria")
    assert made.visibility is Visibility.PRIVATE
    token = _texts(made)[-1]
    assert token.startswith("yc_")
    assert len(token) > 40
    # The token is in the text alone: not in the data scripts read and logs may carry.
    assert token not in str(made.data)
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert await _stored(ws) == [("billing", digest, "maria", None)]
    listed = await ws.say("/client settings api-token list", as_user="maria")
    assert token not in str(listed.blocks)
    async with ws.services.unit_of_work() as uow:
        audited = await uow.audit.for_subject(ws.tenant_id, "api_token", "billing")
        assert [event.action for event in audited] == ["api_token.created"]


async def test_names_are_checked_and_an_active_name_is_not_taken_twice(
    workspace: Workspace,
) -> None:
    ws = workspace
    await ws.say("/client settings api-token create billing", as_user="maria")
    again = await ws.say("/client settings api-token create billing", as_user="maria")
    assert again.kind.value == "error"
    assert "Revoke it first" in _texts(again)[0]
    bad = await ws.say('/client settings api-token create "two words"', as_user="maria")
    assert "letters, digits, dots, dashes or underscores" in _texts(bad)[0]
    unknown = await ws.say("/client settings api-token revoke nothing", as_user="maria")
    assert "No active token" in _texts(unknown)[0]
    usage = await ws.say("/client settings api-token rotate billing", as_user="maria")
    assert usage.data == {"error": "api_token_usage"}
    # Revoked, the name is free again; both stay listed, the active one first.
    await ws.say("/client settings api-token revoke billing", as_user="maria")
    await ws.say("/client settings api-token create billing", as_user="maria")
    listed = await ws.say("/client settings api-token list", as_user="maria")
    assert listed.data == {
        "api_tokens": [{"name": "billing", "active": True}, {"name": "billing", "active": False}]
    }


async def test_only_managers_see_or_touch_tokens(workspace: Workspace) -> None:
    ws = workspace
    for line in ("create sneaky", "list", "revoke billing"):
        refused = await ws.say(f"/client settings api-token {line}", as_user="ana")
        assert refused.kind.value == "refused", line
    assert await _stored(ws) == []


async def test_a_spanish_manager_reads_it_in_spanish(workspace: Workspace) -> None:
    ws = workspace
    empty = await ws.say("/client settings api-token list", as_user="maria", locale="es")
    assert "Todavía no hay tokens" in _texts(empty)[0]
