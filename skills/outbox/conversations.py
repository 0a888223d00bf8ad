"""Where the outbox can reach people and channels on a platform that needs an address to start
from (a Teams conversation reference): kept when someone uses the bot there, read when a message
goes out.

An address is ``user:<id>`` for a person's one-to-one chat with the bot and ``channel:<id>``
for a channel. What is kept under it is the platform's own data, opaque here.
"""

from typing import Any

from skills.core.context import Services
from storage.unit_of_work import UnitOfWork


def person_address(user_id: str) -> str:
    """Where a person's one-to-one chat with the bot is kept."""
    return f"user:{user_id}"


def channel_address(channel_id: str) -> str:
    """Where a channel's conversation is kept."""
    return f"channel:{channel_id}"


async def remember_conversation(
    services: Services, tenant_id: str, address: str, conversation: dict[str, Any]
) -> None:
    """Keep ``conversation`` for ``address``, replacing what was kept before."""
    async with services.unit_of_work() as uow:
        await uow.conversations.remember(tenant_id, address, conversation, services.clock())
        await uow.commit()


async def stored_conversation(
    services: Services, tenant_id: str, address: str
) -> dict[str, Any] | None:
    """What was kept for ``address``; None when the bot never had a conversation there."""
    async with services.unit_of_work() as uow:
        found = await uow.conversations.get(tenant_id, address)
        # Read inside the unit of work: leaving it rolls back, which expires the row.
        return dict(found.reference) if found is not None else None


async def reachable_people(uow: UnitOfWork, tenant_id: str, people: list[str]) -> list[str]:
    """Those of ``people`` the bot has a one-to-one chat with, in the same order."""
    return [
        person
        for person in people
        if await uow.conversations.get(tenant_id, person_address(person)) is not None
    ]
