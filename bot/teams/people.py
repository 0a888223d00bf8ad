"""Who is asking, as Teams says: the tenant, the person, guest or not, their locale; who an
activity mentions; and people's names, to mention them.

A person's role comes from the Bot Connector's member lookup, cached for a few minutes like
Slack's users.info; a lookup that fails refuses the request rather than guessing.
"""

import asyncio
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from microsoft_agents.activity import Activity, ChannelAccount

from bot.teams.connector import Connector
from bot.worker.notifier import DeliveryError
from skills.core.context import Actor, Services
from skills.outbox.conversations import person_address, stored_conversation

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


class Names:
    """People's display names, for the mentions in cards (a mention needs the name): as Teams
    showed them on an activity, as kept with the person's conversation with the bot, else
    asked of Teams in the conversation at hand (the member lookup takes an Entra object id).
    Kept a few minutes, a name not found too; whoever has no name is written as their id."""

    def __init__(self, connector: Connector, services: Services) -> None:
        self._connector = connector
        self._services = services
        self._known: TTLCache[tuple[str, str], str] = TTLCache(CACHE_SIZE, CACHE_SECONDS)

    def saw(self, tenant_id: str, user_id: str, name: str | None) -> None:
        """Remember the name Teams gave a person on an activity."""
        if name:
            self._known[(tenant_id, user_id)] = name

    async def of(
        self, tenant_id: str, people: Iterable[str], *, service_url: str, conversation_id: str
    ) -> dict[str, str]:
        """The names of those of ``people`` (Entra object ids) who can be named, looking up
        the others in the conversation ``conversation_id`` at ``service_url``."""
        wanted = list(people)
        unknown = [person for person in wanted if (tenant_id, person) not in self._known]
        found = await asyncio.gather(
            *(self._find(tenant_id, person, service_url, conversation_id) for person in unknown)
        )
        for person, name in zip(unknown, found, strict=True):
            self._known[(tenant_id, person)] = name
        named = {person: self._known.get((tenant_id, person), "") for person in wanted}
        return {person: name for person, name in named.items() if name}

    async def _find(
        self, tenant_id: str, person: str, service_url: str, conversation_id: str
    ) -> str:
        stored = await stored_conversation(self._services, tenant_id, person_address(person))
        name = ((stored or {}).get("reference") or {}).get("user", {}).get("name")
        if name:
            return str(name)
        try:
            async with self._connector.client(service_url) as client:
                member = await client.get_conversation_member(conversation_id, person)
        except DeliveryError:
            return ""  # not in this conversation, or Teams is away: written as the id
        return member.name or ""


class Directory:
    """Member lookups with a short cache, and the names of the people seen."""

    def __init__(self, connector: Connector, services: Services) -> None:
        self._connector = connector
        self._services = services
        self._members: TTLCache[tuple[str, str], Member] = TTLCache(CACHE_SIZE, CACHE_SECONDS)
        self.names = Names(connector, services)

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
        self.names.saw(tenant_id, person_id(activity), sender.name)
        return Actor(
            tenant_id=tenant_id,
            user_id=person_id(activity),
            display_name=sender.name or sender.id,
            locale=activity.locale,
            is_guest=member.is_guest or other_tenant,
        )

    async def entra_id(self, activity: Activity, account: ChannelAccount) -> str:
        """The Microsoft Entra object id of someone ``activity`` mentions: a mention carries
        their Teams id, and the member lookup in the conversation gives the object id. Raises
        ``DeliveryError`` when Teams does not say."""
        if account.aad_object_id:
            return account.aad_object_id
        assert activity.conversation is not None
        async with self._connector.client(activity.service_url or "") as client:
            found = await client.get_conversation_member(activity.conversation.id, account.id)
        if not found.aad_object_id:
            raise DeliveryError("the member lookup gave no Entra object id")
        return found.aad_object_id
