"""Type-ahead for client pickers: the new name it offers is cleaned as commands are."""

from skills.clients.search import NEW_CLIENT_PREFIX, client_choices
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def test_type_ahead_offers_a_new_name_without_control_characters(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    ana = workspace.person("ana")
    [acme, offer] = await client_choices(workspace.services, ana, "Ac\x00me\x07")
    assert acme.label == "Acme Corp"
    assert offer.value == NEW_CLIENT_PREFIX + "Acme"
    assert "\x00" not in offer.label
