"""Listening in Teams channels: messages not addressed to the bot are counted for the linked
client, and an abusive client message is flagged privately to the tenant's managers.

Teams has no message only one person sees in a channel, so the note goes to each manager's
one-to-one chat with the bot (where they can file the report in one click).
"""

import logging

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext

from bot.buttons import ButtonCodec
from bot.listening_queue import ListeningQueue
from bot.teams.connector import Connector
from bot.teams.html_text import html_to_text
from bot.teams.messages import reply_activity
from bot.teams.people import Directory, channel_of
from bot.worker.notifier import DeliveryError
from skills.commands import ReportIncident
from skills.core.context import Actor, Services
from skills.listening.abuse_note import abuse_note
from skills.listening.hearing import HeardMessage
from skills.text.limits import clip

log = logging.getLogger(__name__)

# The note's button carries the start of the message: small enough to stay inside the signed
# button instead of the database.
NOTE_EVIDENCE = 300


class TeamsChannelListener:
    """Channel messages the bot overhears (with the manifest's channel-message permission)."""

    def __init__(
        self,
        services: Services,
        connector: Connector,
        directory: Directory,
        buttons: ButtonCodec,
        language: str,
        heard: ListeningQueue,
    ) -> None:
        self._heard = heard
        self._services = services
        self._connector = connector
        self._directory = directory
        self._buttons = buttons
        self._language = language

    async def hear(self, context: TurnContext, tenant_id: str) -> None:
        """Count the message; warn the managers about an abusive one."""
        activity = context.activity
        channel = channel_of(activity)
        assert channel is not None, "only channel messages are overheard"
        try:
            author = await self._directory.actor(activity, tenant_id)
        except DeliveryError as error:
            log.warning("member lookup failed; message not counted: %s", error.reason)
            return
        text = html_to_text(activity.text or "")
        written_at = activity.timestamp or self._services.clock()
        heard = await self._heard.hear(
            HeardMessage(
                tenant_id=tenant_id,
                channel_id=channel[0],
                # Teams message ids are timestamps: unique within a channel, not across.
                event_id=f"teams:{channel[0]}:{activity.id}",
                from_client=author.is_guest,
                at=written_at,
                text=text,
                mentions=tuple(
                    mention.mentioned.aad_object_id or mention.mentioned.id
                    for mention in activity.get_mentions()
                ),
            ),
        )
        if heard.finding is None or heard.client_id is None:
            return
        report = ReportIncident(
            client=f"client-id:{heard.client_id}",
            category=heard.finding.category,
            evidence_text=clip(text, NOTE_EVIDENCE),
            evidence_author=author.display_name,
            evidence_written_at=written_at.isoformat(),
        )
        await self._warn_managers(activity, tenant_id, author.display_name, heard.finding, report)

    async def _warn_managers(
        self,
        activity: Activity,
        tenant_id: str,
        author: str,
        finding: object,
        report: ReportIncident,
    ) -> None:
        async with self._services.unit_of_work() as uow:
            tenant = await uow.tenants.get(tenant_id)
            managers = list(tenant.manager_ids) if tenant else []
            chats = {
                manager: found.reference
                for manager in managers
                if (found := await uow.conversations.get(tenant_id, f"user:{manager}"))
            }
        for manager, stored in chats.items():
            reader = Actor(tenant_id, manager, manager)
            note = abuse_note(reader, self._language, author, finding, report)  # type: ignore[arg-type]
            message = await reply_activity(self._buttons, note, reader)
            reference = stored["reference"]
            try:
                async with self._connector.client(reference["serviceUrl"]) as client:
                    await client.conversations.send_to_conversation(
                        reference["conversation"]["id"], message
                    )
            except DeliveryError as error:
                log.warning("no abuse note for %s: %s", manager, error.reason)
