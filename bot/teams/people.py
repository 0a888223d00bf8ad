"""Who is asking, as Teams says: the tenant, the person, guest or not, their locale.

A person's role comes from the Bot Connector's member lookup, cached for a few minutes like
Slack's users.info; a lookup that fails refuses the request rather than guessing.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from microsoft_agents.activity import Activity

from bot.teams.connector import Connector
from skills.core.context import Actor, Services

PLATFORM = "teams"
CACHE_SECONDS = 300
CACHE_SIZE = 10_000


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft Entra tenant the conversation belongs to, as Yellowcard's tenant id; None
    when there is none, or when the activity names two different ones (not served)."""
    named = {
        activity.conversation.tenant_id if activity.conversation else None,
        (_channel_data(activity).get("tenant") or {}).get("id"),
    } - {None, ""}
    if len(named) != 1:
        return None
    return f"{PLATFORM}:{named.pop()}"


def _channel_data(activity: Activity) -> dict[str, Any]:
    return activity.channel_data if isinstance(activity.channel_data, dict) else {}


def channel_of(activity: Activity) -> tuple[str, bool] | None:
    """A channel conversation's channel id (without a thread's ``;messageid=``) and whether it
    is a shared channel; None for chats."""
    conversation = activity.conversation
    if conversation is None or conversation.conversation_type != "channel":
        return None
    channel = _channel_data(activity).get("channel") or {}
    channel_id = channel.get("id") or conversation.id.split(";", 1)[0]
    return str(channel_id), channel.get("type") == "shared"


def person_id(activity: Activity) -> str:
    """The person's stable id: their Entra object id when Teams gives it."""
    sender = activity.from_property
    assert sender is not None, "every activity has a sender"
    return sender.aad_object_id or sender.id


@dataclass(frozen=True)
class Member:
    """What the member lookup said."""

    is_guest: bool
    tenant_id: str | None


class Directory:
    """Member lookups with a short cache."""

    def __init__(self, connector: Connector, services: Services) -> None:
        self._connector = connector
        self._services = services
        self._members: TTLCache[tuple[str, str], Member] = TTLCache(CACHE_SIZE, CACHE_SECONDS)

    async def actor(self, activity: Activity, tenant_id: str) -> Actor:
        """The person as the skills see them, in the language they chose or the activity's;
        guests and people of other tenants are guests."""
        person = await self.author(activity, tenant_id)
        locale = await self._services.locale_of(tenant_id, person.user_id, activity.locale)
        return dataclasses.replace(person, locale=locale)

    async def author(self, activity: Activity, tenant_id: str) -> Actor:
        """Who wrote an activity, without the language they chose: what listening in a
        channel needs, for every message, without a read of the database."""
        sender = activity.from_property
        assert sender is not None
        assert activity.conversation is not None
        key = (tenant_id, sender.id)
        member = self._members.get(key)
        if member is None:
            async with self._connector.client(activity.service_url or "") as client:
                found = await client.get_conversation_member(activity.conversation.id, sender.id)
            # Only a full member of the tenant is served: guests, anonymous meeting
            # participants and a lookup that does not say are all treated as guests.
            member = Member(
                is_guest=(found.user_role or "").lower() != "user", tenant_id=found.tenant_id
            )
            self._members[key] = member
        other_tenant = f"{PLATFORM}:{member.tenant_id}" != tenant_id
        return Actor(
            tenant_id=tenant_id,
            user_id=person_id(activity),
            display_name=sender.name or sender.id,
            locale=activity.locale,
            is_guest=member.is_guest or other_tenant,
        )
