"""Finding a client by name (or offering near misses and creating it)."""

from collections.abc import Callable, Collection

from skills.commands import Command
from skills.core.scope import Scope
from skills.replies import Actions, Button, ButtonStyle, Paragraph, Reply, ReplyKind
from skills.strikes.policy import ClientState
from skills.text.i18n import Translator
from skills.text.limits import CLIENT_NAME_LIMIT
from skills.text.names import normalize, query_key, suggest
from skills.text.numbers import whole_number
from storage.models import Client

# What a client picker's option carries: the client's id, never cut the way a long name can be.
CLIENT_ID_PREFIX = "client-id:"


async def find_client(scope: Scope, name: str) -> Client | None:
    """The client whose name or alias normalises to the same key as ``name``, or the client
    with the id a picker sent (``client-id:12``)."""
    if name.startswith(CLIENT_ID_PREFIX):
        client_id = whole_number(name.removeprefix(CLIENT_ID_PREFIX), lowest=1)
        return await scope.uow.clients.get(scope.tenant.id, client_id) if client_id else None
    # None for a text too long to be a name: no need to normalise all of it, or to look.
    key = query_key(name)
    if not key:
        return None
    client = await scope.uow.clients.by_lookup_key(scope.tenant.id, key)
    if client is not None:
        return client
    for client_id, _name, aliases in await scope.uow.clients.all_names(scope.tenant.id):
        if any(query_key(alias) == key for alias in aliases):
            return await scope.uow.clients.get(scope.tenant.id, client_id)
    return None


async def find_clients(scope: Scope, names: Collection[str]) -> dict[str, int]:
    """``find_client`` for many names at once (a batch of the signals API), by name: each
    name's key looked up, then every client's aliases read once for the names still missing,
    rather than once per name. Picker ids are not names here."""
    found: dict[str, int] = {}
    missing: dict[str, list[str]] = {}
    for name in names:
        key = query_key(name)
        if not key:
            continue
        client = await scope.uow.clients.by_lookup_key(scope.tenant.id, key)
        if client is not None and client.id is not None:
            found[name] = client.id
        else:
            missing.setdefault(key, []).append(name)
    if missing:
        by_alias: dict[str, int] = {}
        for client_id, _name, aliases in await scope.uow.clients.all_names(scope.tenant.id):
            for alias in aliases:
                # The first client with the alias, as find_client's loop finds it.
                alias_key = query_key(alias)
                if alias_key:
                    by_alias.setdefault(alias_key, client_id)
        for key, spellings in missing.items():
            if key in by_alias:
                found.update(dict.fromkeys(spellings, by_alias[key]))
    return found


async def client_or_suggestions(
    scope: Scope,
    name: str,
    *,
    retry: Callable[[str], Command],
    create: Command | None = None,
) -> Client | Reply:
    """The named client, or a reply offering the nearest names (and creating it, if allowed).

    ``retry`` builds the same command for a suggested name; ``create`` is the command that
    creates the client and carries on.
    """
    client = await find_client(scope, name)
    if client is not None:
        return client
    t = scope.t
    candidates = await scope.uow.clients.all_names(scope.tenant.id)
    suggestions = suggest(name, candidates)
    blocks: list[Paragraph | Actions] = [
        Paragraph(t._("No client is called {name}.", name=t.quote(name)))
    ]
    buttons = [Button(t._("Use {name}", name=found), retry(found)) for _id, found in suggestions]
    if suggestions:
        blocks.append(Paragraph(t._("Did you mean one of these?")))
    if create is not None:
        buttons.append(
            Button(t._("Create {name}", name=t.quote(name.strip())), create, ButtonStyle.PRIMARY)
        )
    if buttons:
        blocks.append(Actions(tuple(buttons)))
    return Reply(
        kind=ReplyKind.ERROR,
        blocks=tuple(blocks),
        data={
            "error": "unknown_client",
            "query": name,
            "suggestions": [found for _id, found in suggestions],
        },
    )


def name_error(t: Translator, name: str) -> str | None:
    """What is wrong with a new client's name, or None."""
    too_long = t.n_(
        "A client's name can be at most {count} character.",
        "A client's name can be at most {count} characters.",
        CLIENT_NAME_LIMIT,
    )
    # The length first: normalising reads every character, however many were sent.
    if len(name.strip()) > CLIENT_NAME_LIMIT:
        return too_long
    key = normalize(name)
    if not key:
        return t._("A client's name needs at least one letter or digit.")
    # The key can be longer than the name: NFKD spells "㍿" as four letters.
    return too_long if len(key) > CLIENT_NAME_LIMIT else None


async def create_client(scope: Scope, name: str) -> Client:
    """Create the client, or return the one that took the same key first (check ``name_error``)."""
    client = Client(
        tenant_id=scope.tenant.id,
        name=name.strip(),
        lookup_key=normalize(name),
        state=ClientState.OK.value,
        state_changed_at=scope.now,
        created_at=scope.now,
        created_by=scope.actor.user_id,
    )
    stored = await scope.uow.clients.add(client)
    if stored is client:
        await scope.audit("client.created", subject=("client", str(client.id)), name=client.name)
    return stored


def client_data(
    client: Client, state: ClientState, strikes: int, threshold: int
) -> dict[str, object]:
    """The machine-readable part of a reply about a client."""
    return {
        "id": client.id,
        "name": client.name,
        "state": state.value,
        "active_strikes": strikes,
        "threshold": threshold,
    }
