"""Client names from people of any length: answered from their beginning, never read whole.

How long a 40,000-character name holds other requests is measured by bench/long_names.py; these
tests pin what is answered.
"""

from skills.clients.search import NEW_CLIENT_PREFIX, client_choices
from skills.replies import ReplyKind
from skills.text.names import SPELLING_LIMIT
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace

LONG = 40_000


async def test_a_very_long_name_is_unknown_and_suggests_from_its_beginning(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    await new_client(workspace, "Globex")
    name = ("Acme Corp and its many subsidiaries " * LONG)[:LONG]
    reply = await workspace.say(f'/client "{name}"')
    assert reply.kind is ReplyKind.ERROR
    assert reply.data["error"] == "unknown_client"
    assert reply.data["suggestions"] == ["Acme Corp"]


async def test_a_very_long_new_name_is_refused_for_its_length(workspace: Workspace) -> None:
    name = "Initech " * (LONG // 8)
    reply = await workspace.say(f'/report-client "{name}" scope_creep more work')
    create = reply.blocks[-1]
    created = await workspace.run(create.buttons[-1].command)  # type: ignore[union-attr]
    assert created.kind is ReplyKind.FORM
    assert "at most 200 characters" in created.data["errors"]["client"]


async def test_type_ahead_of_text_too_long_for_a_name_offers_nothing(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    ana = workspace.person("ana")
    assert await client_choices(workspace.services, ana, "Acme " * (LONG // 5)) == []
    assert await client_choices(workspace.services, ana, "x" * (SPELLING_LIMIT + 1)) == []
    [acme, offer] = await client_choices(workspace.services, ana, "Acme")
    assert acme.label == "Acme Corp"
    assert offer.value == NEW_CLIENT_PREFIX + "Acme"
