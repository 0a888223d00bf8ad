"""Commands parked in the database while a person fills in a form or has a button to click.

A platform carries only a short id (Slack's ``private_metadata`` and button values have size
limits), so any replica can pick the command up again, after a restart too.
"""

import uuid
from datetime import timedelta

from skills.commands import Command, command_from_dict, command_to_dict
from skills.core.context import Actor, Services
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


async def parked_command(services: Services, actor: Actor, parked_id: str) -> Command | None:
    """The command this person parked under ``parked_id``; None if it is not theirs or expired."""
    async with services.unit_of_work() as uow:
        dialog = await uow.dialogs.get_open(
            actor.tenant_id, parked_id, actor.user_id, services.clock()
        )
        if dialog is None or dialog.kind != KIND:
            return None
        return command_from_dict(dialog.state["command"])
