"""Teams' notifier: manager pings and notes about abusive messages in the person's one-to-one
chat, the weekly summary in a channel, updates in place, and files offered and then put where
the person allowed them (bot/teams/file_consent.py), all proactive through the stored
conversation references.

Teams lets a bot write first only where it has a conversation: the installer's chat (stored at
install), anyone's chat once they wrote to Yellowcard, and channels where it was used.
"""

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity
from pydantic import ValidationError

from bot.buttons import ButtonCodec
from bot.teams.connector import Connector
from bot.teams.file_consent import consent_activity, file_info_activity, upload_info
from bot.teams.messages import card_activity, reply_activity
from bot.teams.people import PLATFORM, Names
from bot.teams.render import chart_card, people_in
from bot.worker.notifier import Delivered, DeliveryError
from skills.core.context import Actor, Services
from skills.outbox.conversations import channel_address, person_address, stored_conversation
from skills.outbox.files import OutgoingFile
from skills.replies import Reply
from skills.summary.chart import Chart

CHANNEL_PREFIX = "19:"


def address_of(recipient: str) -> str:
    """Where a recipient's reference is kept: a channel's conversation id or a person's id."""
    if recipient.startswith(CHANNEL_PREFIX):
        return channel_address(recipient)
    return person_address(recipient)


class TeamsNotifier:
    """Sends to the Teams tenants that installed Yellowcard."""

    platform = PLATFORM

    def __init__(self, services: Services, connector: Connector, codec: ButtonCodec) -> None:
        self._services = services
        self._connector = connector
        self._codec = codec
        self._names = Names(connector, services)

    async def tenants(self) -> frozenset[str] | None:
        """Every installed tenant: one bot identity serves them all."""
        return None

    async def admins(self, tenant_id: str) -> list[str]:
        """Nobody: in Teams the installer is the first manager, so the list is never empty."""
        return []

    async def is_shared_externally(self, tenant_id: str, recipient: str) -> bool:
        """A shared channel (people of other organisations can join it), or anything that is
        not a channel of the tenant; a person's one-to-one chat is private."""
        if not recipient.startswith(CHANNEL_PREFIX):
            return False
        stored = await self._stored(tenant_id, recipient)
        return stored.get("kind") != "channel" or bool(stored.get("shared"))

    async def post(self, tenant_id: str, recipient: str, reply: Reply, reader: Actor) -> Delivered:
        """A new message with the reply as a card."""
        stored = await self._stored(tenant_id, recipient)
        reference = stored["reference"]
        conversation = reference["conversation"]["id"]
        message = await self._message(tenant_id, reply, reader, reference)
        async with self._connector.client(reference["serviceUrl"]) as client:
            sent = await client.conversations.send_to_conversation(conversation, message)
        return Delivered(conversation, sent.id or "")

    async def update(
        self, tenant_id: str, delivered: Delivered, reply: Reply, reader: Actor
    ) -> None:
        """Replace a card sent earlier."""
        stored = await self._stored(tenant_id, reader.user_id)
        message = await self._message(tenant_id, reply, reader, stored["reference"])
        message.id = delivered.message_id
        async with self._connector.client(stored["reference"]["serviceUrl"]) as client:
            await client.conversations.update_activity(
                delivered.channel, delivered.message_id, message
            )

    async def attach(
        self, tenant_id: str, recipient: str, delivered: Delivered, chart: Chart
    ) -> None:
        """The chart as an image card, in reply to the message."""
        stored = await self._stored(tenant_id, recipient)
        message = card_activity(chart_card(chart), chart.title)
        async with self._connector.client(stored["reference"]["serviceUrl"]) as client:
            await client.conversations.reply_to_activity(
                delivered.channel, delivered.message_id, message
            )

    async def _message(
        self, tenant_id: str, reply: Reply, reader: Actor, reference: dict[str, Any]
    ) -> Activity:
        """The reply as a card, the people it mentions named (looked up where it goes)."""
        names = await self._names.of(
            tenant_id,
            people_in(reply),
            service_url=reference["serviceUrl"],
            conversation_id=reference["conversation"]["id"],
        )
        return await reply_activity(self._codec, reply, reader, names)

    async def send_file(
        self, tenant_id: str, recipient: str, delivered: Delivered, file: OutgoingFile, offer: str
    ) -> None:
        """A file consent card after the introducing message: Teams asks the person to allow
        the file before the bot may put it in their OneDrive."""
        stored = await self._stored(tenant_id, recipient)
        async with self._connector.client(stored["reference"]["serviceUrl"]) as client:
            await client.conversations.send_to_conversation(
                delivered.channel, consent_activity(file, offer)
            )

    async def put_file(
        self, tenant_id: str, recipient: str, file: OutgoingFile, destination: Mapping[str, str]
    ) -> Delivered:
        """The bytes into the upload session the person's Allow opened, then a file info card
        in their chat that opens the file."""
        stored = await self._stored(tenant_id, recipient)
        reference = stored["reference"]
        try:
            upload = upload_info(destination)
        except ValidationError as error:
            raise DeliveryError("the upload details are incomplete", permanent=True) from error
        await self._connector.upload(upload.upload_url, file.content)
        conversation = reference["conversation"]["id"]
        async with self._connector.client(reference["serviceUrl"]) as client:
            sent = await client.conversations.send_to_conversation(
                conversation, file_info_activity(file, upload)
            )
        return Delivered(conversation, sent.id or "")

    async def _stored(self, tenant_id: str, recipient: str) -> dict[str, Any]:
        reference = await stored_conversation(self._services, tenant_id, address_of(recipient))
        if reference is None:
            raise DeliveryError(
                f"no Teams conversation with {recipient} yet: they have to open Yellowcard "
                "(or use it in that channel) once",
                permanent=True,
            )
        return reference
