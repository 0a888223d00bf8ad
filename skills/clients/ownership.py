"""Managers give a client's account to someone else (``/client owner <client> <person>``).

Offered on a staff-safety ping as "move the staff member off the account" when they own it, or
"name an account owner" when nobody does: the person who was abused or threatened should not
have to keep serving that client.
"""

import dataclasses

from skills.clients.lookup import client_or_suggestions
from skills.commands import ChangeOwner
from skills.core.access import require_manager
from skills.core.people import not_a_person
from skills.core.scope import Scope
from skills.escalation.lifecycle import client_changed
from skills.replies import ClientPickerField, Form, Paragraph, PersonField, Reply, ReplyKind
from skills.text.limits import NAME_LIMIT
from skills.text.mentions import mention, person_id


async def change_owner(scope: Scope, command: ChangeOwner) -> Reply:
    """Record the new account owner; audited with the one before."""
    refused = await require_manager(scope, "client.owner", ("client", command.client or ""))
    if refused:
        return refused
    t = scope.t
    owner = person_id(command.owner or "")
    errors: dict[str, str] = {}
    if len(owner) > NAME_LIMIT:
        errors["owner"] = t._("Name one person.")
    elif owner and (wrong := not_a_person(scope.t, scope.tenant.platform, owner)):
        errors["owner"] = wrong
    if errors or not command.client or not owner:
        return _owner_form(scope, command, errors)
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(client, Reply):
        return client
    locked = await scope.uow.clients.lock(scope.tenant.id, client.id or 0)
    assert locked is not None, "the client was just found"
    before = locked.owner_id
    locked.owner_id = owner
    await scope.uow.clients.save(locked)
    await scope.audit(
        "client.owner_changed", subject=("client", str(locked.id)), before=before, after=owner
    )
    # Keyed by the moment: an owner changed back and forth is refreshed each time.
    await client_changed(scope, locked.id or 0, f"owner:{scope.now.isoformat()}")
    await scope.uow.commit()
    text = t._(
        "{owner} is now the account owner of {client}.", owner=mention(owner), client=locked.name
    )
    return Reply(
        ReplyKind.RESULT,
        (Paragraph(text),),
        {"client_id": locked.id, "owner": owner, "previous_owner": before},
    )


def _owner_form(scope: Scope, command: ChangeOwner, errors: dict[str, str]) -> Reply:
    t = scope.t
    form = Form(
        title=t._("Change the account owner"),
        fields=(
            ClientPickerField("client", t._("Client"), command.client),
            PersonField(
                "owner",
                t._("New account owner"),
                person_id(command.owner) if command.owner else None,
                hint=t._("The person who will look after this client from now on."),
            ),
        ),
        submit_label=t._("Change the owner"),
        command=command,
        errors=errors,
        description=t._("The account owner runs the client's playbook and can dispute strikes."),
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "owner", "errors": errors})
