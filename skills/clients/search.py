"""Type-ahead for client pickers: matching clients, and the offer to create a new one."""

from skills.clients.lookup import CLIENT_ID_PREFIX
from skills.core.context import Actor, Services
from skills.core.scope import open_scope
from skills.replies import Choice
from skills.text.input import clean_text
from skills.text.names import query_key

# A picked option whose value starts with this creates the client (see reporting).
NEW_CLIENT_PREFIX = "new:"
MAX_OPTIONS = 20


async def client_choices(services: Services, actor: Actor, typed: str) -> list[Choice]:
    """Clients whose name contains what was typed (normalised), then "new client: …"."""
    if actor.is_guest:
        return []
    # Type-ahead does not pass through dispatch.handle: cleaned here too, the offered new name
    # is the one a report would store.
    typed = clean_text(typed)
    # A stored key that contains the typed one is no longer than it: text too long to be a name
    # matches nothing, and a substring search with it would read every client's key in vain.
    key = query_key(typed)
    if key is None:
        return []
    async with open_scope(services, actor) as scope:
        matches = await scope.uow.clients.search(scope.tenant.id, key, limit=MAX_OPTIONS)
        # The id, not the name: a platform may cap option values below a name's length.
        choices = [Choice(f"{CLIENT_ID_PREFIX}{client.id}", client.name) for client in matches]
        name = typed.strip()
        if key and not any(client.lookup_key == key for client in matches):
            label = scope.t._("New client: {name}", name=name)
            choices.append(Choice(NEW_CLIENT_PREFIX + name, label))
        return choices
