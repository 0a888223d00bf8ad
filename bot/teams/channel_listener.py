"""Listening in Teams channels: messages not addressed to the bot are counted for the linked
client, and an abusive client message is flagged privately to the tenant's managers.

Teams has no message only one person sees in a channel, so the note goes to each manager's
one-to-one chat with the bot (where they can file the report in one click). It goes through the
outbox like every message the bot sends on its own: retried when Teams fails, sent once.
"""

import logging

from microsoft_agents.hosting.core import TurnContext

from bot.listening_queue import ListeningQueue
from bot.surface import SurfaceCore
from bot.teams.html_text import html_to_text
from bot.teams.people import Directory, channel_of
from bot.worker.notifier import DeliveryError
from skills.listening.abuse_note import queue_notes_to_managers
from skills.listening.hearing import HeardMessage

log = logging.getLogger(__name__)


class TeamsChannelListener:
    """Channel messages the bot overhears (with the manifest's channel-message permission)."""

    def __init__(self, core: SurfaceCore, directory: Directory, heard: ListeningQueue) -> None:
        self._core = core
        self._directory = directory
        self._heard = heard

    async def hear(self, context: TurnContext, tenant_id: str) -> None:
        """Count the message; warn the managers about an abusive one."""
        activity = context.activity
        channel = channel_of(activity)
        assert channel is not None, "only channel messages are overheard"
        try:
            author = await self._directory.author(activity, tenant_id)
        except DeliveryError as error:
            log.warning("member lookup failed; message not counted: %s", error.reason)
            return
        message = HeardMessage(
            tenant_id=tenant_id,
            channel_id=channel[0],
            # Teams message ids are timestamps: unique within a channel, not across.
            event_id=f"teams:{channel[0]}:{activity.id}",
            from_client=author.is_guest,
            at=activity.timestamp or self._core.services.clock(),
            text=html_to_text(activity.text or ""),
            mentions=tuple(
                mention.mentioned.aad_object_id or mention.mentioned.id
                for mention in activity.get_mentions()
            ),
        )
        heard = await self._heard.hear(message)
        if heard.finding is None or heard.client_id is None:
            return
        await queue_notes_to_managers(
            self._core.services,
            message,
            heard.client_id,
            heard.finding,
            author.display_name,
            self._core.default_language,
        )
