"""Managers add a client with its record (``/client add <name> [field=value …]``) and change
it (``/client edit <client> field=value …``, ``name=`` renames it).

A form comes back when the name (or the client) is missing or a value is wrong, with what is
wrong beside each field; nothing is saved until every value is right. Every change is audited
with each field's value before and after (docs/clients.md).
"""

import dataclasses
from collections.abc import Mapping
from typing import Any

from skills.clients.lookup import client_or_suggestions, find_client, name_error
from skills.clients.record_fields import (
    ATTRIBUTES,
    NAME_KEY,
    RECORD_KEYS,
    SEGMENTS,
    TIER_LIMIT,
    RecordChange,
    apply_changes,
    check_fields,
    conflicts,
    field_label,
    key_of,
    record_changes,
    record_data,
    record_text,
    rename,
    revenue_without_currency,
    segment_label,
)
from skills.commands import AddClient, EditClient
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import (
    Choice,
    ChoiceField,
    ClientPickerField,
    Form,
    FormField,
    Paragraph,
    PersonField,
    Reply,
    ReplyKind,
    TextField,
)
from skills.strikes.policy import ClientState
from skills.text.limits import CLIENT_NAME_LIMIT
from skills.text.names import normalize
from storage.models import Client

FORM = "client_record"


async def add_client(scope: Scope, command: AddClient) -> Reply:
    """Create the client with the fields given; a form while the name is missing or a value
    is wrong."""
    return await _add(scope, command, save=True)


async def check_add_form(scope: Scope, command: AddClient) -> Reply:
    """The add form for the values so far, with what is wrong; nothing saved."""
    return await _add(scope, command, save=False)


async def edit_client(scope: Scope, command: EditClient) -> Reply:
    """Change the fields given; a form while the client or the fields are missing or a value
    is wrong."""
    return await _edit(scope, command, save=True)


async def check_edit_form(scope: Scope, command: EditClient) -> Reply:
    """The edit form for the values so far, with what is wrong; nothing saved."""
    return await _edit(scope, command, save=False)


async def _add(scope: Scope, command: AddClient, *, save: bool) -> Reply:
    refused = await require_manager(scope, "client.add", ("client", command.name or ""))
    if refused:
        return refused
    t = scope.t
    name = (command.name or "").strip()
    errors: dict[str, str] = {}
    if name and (wrong := name_error(t, name)):
        errors[NAME_KEY] = wrong
    elif name and (existing := await find_client(scope, name)) is not None:
        errors[NAME_KEY] = t._(
            "{client} is a client already: change its record with /client edit.",
            client=t.quote(existing.name),
        )
    client = Client(
        tenant_id=scope.tenant.id,
        name=name,
        lookup_key=normalize(name),
        state=ClientState.OK.value,
        state_changed_at=scope.now,
        created_at=scope.now,
        created_by=scope.actor.user_id,
    )
    checked = check_fields(t, scope.tenant.platform, _given(command.fields))
    errors |= checked.errors
    created = apply_changes(client, checked.changes)
    errors |= await _conflicts(scope, client, checked.changes)
    if "currency" not in errors and (wrong := revenue_without_currency(t, client)):
        errors["currency"] = wrong
    if not save or errors or not name:
        return _form(scope, command, errors, None)
    stored = await scope.uow.clients.add(client)
    if stored is not client:
        # Another request created the same name meanwhile.
        taken = t._("{client} is a client already.", client=t.quote(stored.name))
        return _form(scope, command, {NAME_KEY: taken}, None)
    await record_changes(scope, [RecordChange(client, created, created=True)])
    await scope.uow.commit()
    text = t._("{client} was added to your clients.", client=client.name)
    return Reply(
        ReplyKind.RESULT,
        (Paragraph(text),),
        {"client_id": client.id, "created": True, "record": record_data(client)},
    )


async def _edit(scope: Scope, command: EditClient, *, save: bool) -> Reply:
    refused = await require_manager(scope, "client.edit", ("client", command.client or ""))
    if refused:
        return refused
    t = scope.t
    if not command.client:
        return _form(scope, command, {}, None)
    found = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(found, Reply):
        return found
    given = _given(command.fields)
    if not given:
        return _form(scope, command, {}, found)
    client = await scope.uow.clients.lock(scope.tenant.id, found.id or 0)
    assert client is not None, "the client was just found"
    errors: dict[str, str] = {}
    changes: dict[str, dict[str, Any]] = {}
    new_name = given.pop(NAME_KEY, None)
    if new_name is not None and (wrong := name_error(t, new_name)):
        errors[NAME_KEY] = wrong
    checked = check_fields(t, scope.tenant.platform, given)
    errors |= checked.errors
    # Looked up before the row changes: a query would flush a taken id into the database.
    errors |= await _conflicts(
        scope, client, checked.changes, None if NAME_KEY in errors else new_name
    )
    if errors:
        return _form(scope, command, errors, client)
    changes |= apply_changes(client, checked.changes)
    if new_name is not None:
        changes |= rename(client, new_name)
        # Its own new name is no other name of it any more.
        kept = [alias for alias in client.aliases if normalize(alias) != client.lookup_key]
        changes |= apply_changes(client, {"aliases": kept})
    if wrong := revenue_without_currency(t, client):
        errors["currency"] = wrong
    if not save or errors:
        # Nothing is committed: the changes made to the locked row roll back.
        return _form(scope, command, errors, client)
    if not changes:
        text = t._("Nothing changed: {client}'s record already says that.", client=client.name)
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"client_id": client.id, "changed": []})
    await scope.uow.clients.save(client)
    await record_changes(scope, [RecordChange(client, changes)])
    await scope.uow.commit()
    labels = [field_label(t, _key_of_attribute(name)) for name in changes if name != "lookup_key"]
    text = t._(
        "{client}'s record is updated: {fields}.", client=client.name, fields=t.list_of(labels)
    )
    return Reply(
        ReplyKind.RESULT,
        (Paragraph(text),),
        {
            "client_id": client.id,
            "changed": sorted(name for name in changes if name != "lookup_key"),
            "record": record_data(client),
        },
    )


def _given(fields: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The pairs typed, by key (the last of a key given twice wins)."""
    given: dict[str, str] = {}
    for key, value in fields:
        if not key:
            # Words typed without "=": kept together, to be called wrong at once.
            given[""] = f"{given.get('', '')} {value}".strip()
            continue
        given[key_of(key)] = value
    return given


async def _conflicts(
    scope: Scope, client: Client, changes: Mapping[str, Any], new_name: str | None = None
) -> dict[str, str]:
    """What another client has already (``conflicts``, looked up in the database), by the
    form's keys."""

    async def find(attribute: str, value: str) -> Client | None:
        if attribute == NAME_KEY:
            return await find_client(scope, value)
        return await scope.uow.clients.with_external_id(scope.tenant.id, **{attribute: value})

    errors = await conflicts(scope.t, client, changes, find, new_name=new_name)
    return {key_of(attribute): error for attribute, error in errors.items()}


def _key_of_attribute(attribute: str) -> str:
    return next((key for key, name in ATTRIBUTES.items() if name == attribute), NAME_KEY)


def _form(
    scope: Scope, command: AddClient | EditClient, errors: dict[str, str], client: Client | None
) -> Reply:
    """The record's form: what was typed, else (editing) what the record says."""
    t = scope.t
    given = _given(command.fields)
    stray = {key: error for key, error in errors.items() if key not in (NAME_KEY, *RECORD_KEYS)}
    kept = tuple((key, value) for key, value in command.fields if key_of(key) in RECORD_KEYS)

    def value(key: str) -> str | None:
        if key in given:
            return given[key] or None
        return (record_text(t, client, key) or None) if client is not None else None

    fields: list[FormField] = []
    if isinstance(command, AddClient):
        title = t._("Add a client")
        submit = t._("Add the client")
        fields.append(
            TextField(
                NAME_KEY, field_label(t, NAME_KEY), command.name, max_length=CLIENT_NAME_LIMIT
            )
        )
        parked: AddClient | EditClient = dataclasses.replace(command, fields=kept)
    else:
        title = t._("Change a client's record")
        submit = t._("Save the record")
        fields.append(ClientPickerField("client", t._("Client"), command.client))
        fields.append(
            TextField(
                NAME_KEY,
                t._("New name"),
                given.get(NAME_KEY) or None,
                required=False,
                max_length=CLIENT_NAME_LIMIT,
                hint=t._("Leave it empty to keep the name."),
            )
        )
        renamed = tuple((key, v) for key, v in command.fields if key_of(key) == NAME_KEY)
        parked = dataclasses.replace(command, fields=kept + renamed)
    segment = value("segment")
    fields += [
        TextField(
            "aliases",
            field_label(t, "aliases"),
            value("aliases"),
            required=False,
            hint=t._("Separated by commas."),
        ),
        ChoiceField(
            "segment",
            field_label(t, "segment"),
            tuple(Choice(item, segment_label(t, item)) for item in SEGMENTS),
            segment if segment in SEGMENTS else None,
            required=False,
        ),
        TextField("tier", field_label(t, "tier"), value("tier"), False, max_length=TIER_LIMIT),
        TextField(
            "revenue",
            field_label(t, "revenue"),
            value("revenue"),
            required=False,
            hint=t._("What the client pays per month."),
        ),
        TextField(
            "currency",
            field_label(t, "currency"),
            value("currency"),
            False,
            hint=t._("Its three-letter code: EUR, USD, JPY…"),
        ),
        PersonField("owner", field_label(t, "owner"), value("owner"), required=False),
        TextField("billing-id", field_label(t, "billing-id"), value("billing-id"), False),
        TextField("helpdesk-id", field_label(t, "helpdesk-id"), value("helpdesk-id"), False),
        TextField("notes", field_label(t, "notes"), value("notes"), False, multiline=True),
    ]
    form = Form(
        title=title,
        fields=tuple(fields),
        submit_label=submit,
        command=parked,
        errors={key: error for key, error in errors.items() if key not in stray},
        description=t._("Only the name is needed; fill in what you know."),
    )
    blocks = tuple(Paragraph(error) for error in stray.values())
    return Reply(ReplyKind.FORM, (*blocks, form), {"form": FORM, "errors": dict(errors)})
