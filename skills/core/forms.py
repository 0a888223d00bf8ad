"""Forms: commands parked in the database while a person fills in a form or has a button to
click, a submitted form's values filled into its command, and which field a surface that asks
one field at a time (the shell) asks next.

A platform carries only a short id (Slack's ``private_metadata`` and button values have size
limits), so any replica can pick the command up again, after a restart too.
"""

import dataclasses
import uuid
from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any, cast

from skills.commands import AddEvidence, Command, ReportIncident, command_from_dict, command_to_dict
from skills.core.context import Actor, Services
from skills.replies import Form, FormField
from storage.models import DialogSession

PARKED_FOR = timedelta(days=1)
KIND = "parked_command"


async def park_command(services: Services, actor: Actor, command: Command) -> str:
    """Store the command for this person; the id to hand to the platform."""
    now = services.clock()
    async with services.unit_of_work() as uow:
        dialog = await uow.dialogs.add(
            DialogSession(
                id=str(uuid.uuid4()),
                tenant_id=actor.tenant_id,
                user_id=actor.user_id,
                kind=KIND,
                state={"command": command_to_dict(command)},
                created_at=now,
                updated_at=now,
                expires_at=now + PARKED_FOR,
            )
        )
        await uow.commit()
        return dialog.id


async def purge_expired_forms(services: Services) -> int:
    """Delete the forms and parked commands that expired (what people typed into them goes
    with them); how many."""
    async with services.unit_of_work() as uow:
        purged = await uow.dialogs.purge_expired(before=services.clock())
        await uow.commit()
    return purged


async def parked_command(services: Services, actor: Actor, parked_id: str) -> Command | None:
    """The command this person parked under ``parked_id``; None if it is not theirs or expired."""
    async with services.unit_of_work() as uow:
        dialog = await uow.dialogs.get_open(
            actor.tenant_id, parked_id, actor.user_id, services.clock()
        )
        if dialog is None or dialog.kind != KIND:
            return None
        return command_from_dict(dialog.state["command"])


def complete_form(form: Form, values: Mapping[str, str | None]) -> Command:
    """The form's command with the submitted values in the fields of the same names."""
    return fill_command(form.command, values)


def fill_command(command: Command, values: Mapping[str, str | None]) -> Command:
    """``command`` with each value in its field of the same name; other names are ignored
    (a platform may send back more than the form asked)."""
    names = {field.name for field in dataclasses.fields(command)}
    known: dict[str, Any] = {name: value for name, value in values.items() if name in names}
    collector = getattr(command, "COLLECTS_OTHER_FIELDS", None)
    if collector:
        # A form with fields named by data (the assessment's questions) collects the rest.
        others = {name: value for name, value in values.items() if name not in names and value}
        earlier = dict(getattr(command, collector))
        known[collector] = tuple(sorted({**earlier, **others}.items()))
    target: Any = command  # every Command is a dataclass; mypy cannot see through the union
    return cast(Command, dataclasses.replace(target, **known))


def submitted_command(
    parked: Command, values: Mapping[str, str | None], submission_key: str
) -> Command:
    """A submitted form's command, keyed by the submission (one key per drawn form), so a
    double click on "Submit" files it once."""
    return with_submission_key(fill_command(parked, values), submission_key)


def with_submission_key(command: Command, submission_key: str) -> Command:
    """A report (or added evidence) with ``submission_key`` as its idempotency key, so the
    same submission handled twice files once; any other command as it is."""
    if isinstance(command, ReportIncident | AddEvidence):
        return dataclasses.replace(command, idempotency_key=submission_key)
    return command


def next_to_ask(form: Form, answered: Collection[str]) -> FormField | None:
    """The field to ask the person for next, when a form is filled in one field at a time; None
    when nothing is left to ask.

    A field is asked when its value is wrong, or when the person has not given it yet (in the
    command, or among the fields ``answered`` in this form); a given field is never asked
    again. A field that depends on another still to be asked comes after it (days overdue
    after the category), in case the answer makes it unneeded.
    """
    pending = [
        item
        for item in form.fields
        if item.name not in answered and (item.name in form.errors or not given(form, item.name))
    ]
    names = {item.name for item in pending}
    return next((item for item in pending if item.depends_on not in names), None)


def given(form: Form, name: str) -> bool:
    """Whether the person gave a value for the field ``name``: its command holds one (in the
    field of that name, or among the fields it collects)."""
    value = getattr(form.command, name, None)
    collector = getattr(form.command, "COLLECTS_OTHER_FIELDS", None)
    if value is None and collector:
        value = dict(getattr(form.command, collector)).get(name)
    return isinstance(value, str) and bool(value.strip())
