"""Listening in Slack support channels: message events counted for the linked client, abusive
client messages flagged privately to the staff in the channel, and Slack Connect channels
linked by their other organisation.

The note to staff is sent here, not through the outbox: an ephemeral message is shown to people
in the channel now, chosen from its live membership, and a late or retried one is worth nothing
(docs/slack.md).

Deliveries over HTTP come through the message lane (``bot/slack/message_lane.py``), which
answers Slack at once and runs this after; over Socket Mode they come through bolt. A
redelivery (same ``event_id``) is acknowledged and not counted again.
"""

import asyncio
import logging
import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from cachetools import TTLCache
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.listening_queue import ListeningQueue
from bot.slack.people import Directory, Workspace, workspace_of
from bot.slack.render import fallback_text, message_blocks
from bot.surface import SurfaceCore
from skills.commands import ReportIncident
from skills.listening.abuse import Finding
from skills.listening.abuse_note import abuse_note, report_for
from skills.listening.channel_links import link_by_organisation
from skills.listening.hearing import HeardMessage

log = logging.getLogger(__name__)

# Message events the manifest subscribes to (public and private channels); bolt hears both as
# "message".
MESSAGE_EVENTS = ("message.channels", "message.groups")
# Plain messages are counted; edits, deletions, joins, bots' posts and the like are not.
COUNTED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
STAFF_NOTIFIED = 25
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
MEMBERS_CACHE_SECONDS = 60


class SlackChannelListener:
    """Message events of the channels the bot is in."""

    def __init__(self, core: SurfaceCore, directory: Directory, heard: ListeningQueue) -> None:
        self._core = core
        self._directory = directory
        self._heard = heard
        self._members_of: TTLCache[str, asyncio.Task[AsyncSlackResponse]] = TTLCache(
            10_000, MEMBERS_CACHE_SECONDS
        )

    def register(self, app: AsyncApp) -> None:
        """Listen to message events that come through bolt (Socket Mode)."""
        app.event("message")(self.on_message)

    async def on_message(
        self, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A message event, as bolt hands it over."""
        await self.hear(body, client, workspace_of(context))

    async def hear(
        self, delivery: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """Count a message of a linked channel; flag an abusive client message to staff.

        ``delivery`` is the Events API envelope; ``client`` carries the installation's token.
        """
        event = delivery.get("event") or {}
        if (
            event.get("subtype") not in COUNTED_SUBTYPES
            or event.get("bot_id")
            or not event.get("user")
        ):
            return
        channel = str(event.get("channel", ""))
        author = await self._directory.person(client, workspace, str(event["user"]))
        message = HeardMessage(
            tenant_id=workspace.tenant_id,
            channel_id=channel,
            event_id=str(delivery.get("event_id") or f"{channel}:{event.get('ts')}"),
            from_client=author.is_guest,
            at=datetime.fromtimestamp(float(event.get("ts", "0")), UTC),
            text=str(event.get("text") or ""),
            mentions=tuple(_MENTION.findall(str(event.get("text") or ""))),
        )
        heard = await self._heard.hear(message)
        # A shared channel nobody linked yet: the client whose record names the other
        # organisation gets it, and this message counts.
        if (
            heard.client_id is None
            and author.team_id not in workspace.organisations
            and await link_by_organisation(
                self._core.services, workspace.tenant_id, channel, author.team_id
            )
        ):
            heard = await self._heard.hear(message)
        if heard.finding is None or heard.client_id is None:
            return
        link = await self._permalink(client, channel, str(event.get("ts", "")))
        report = report_for(message, heard.client_id, heard.finding, author.name, link=link)
        await self._warn_staff(client, workspace, channel, author.name, heard.finding, report)

    async def _warn_staff(
        self,
        client: AsyncWebClient,
        workspace: Workspace,
        channel: str,
        author: str,
        finding: Finding,
        report: ReportIncident,
    ) -> None:
        """An ephemeral note to each staff member of the channel (never to the client's
        people), with a button that opens the report prefilled with the message."""
        try:
            members = await self._members(client, channel)
        except SlackApiError as error:
            log.warning("cannot list %s's members: %s", channel, error.response.get("error"))
            return
        notified = 0
        for member in members:
            try:
                person = await self._directory.person(client, workspace, member)
            except SlackApiError:
                continue  # someone Slack will not describe gets no note
            if person.is_guest or notified >= STAFF_NOTIFIED:
                continue
            actor = await self._directory.actor(client, workspace, member)
            reply = abuse_note(actor, self._core.default_language, author, finding, report)
            buttons = await self._core.buttons.values(reply, actor)
            try:
                await client.chat_postEphemeral(
                    channel=channel,
                    user=person.user_id,
                    text=fallback_text(reply),
                    blocks=message_blocks(reply, buttons.__getitem__),
                )
                notified += 1
            except SlackApiError as error:
                log.info("no note for %s: %s", person.user_id, error.response.get("error"))

    async def _members(self, client: AsyncWebClient, channel: str) -> list[str]:
        """The channel's first members, kept for a minute: abuse tends to come in bursts (the
        notes of one batch ask together, and share one listing), and someone who joins gets
        the notes a minute later at worst."""
        listing = self._members_of.get(channel)
        if listing is None:
            listing = asyncio.create_task(client.conversations_members(channel=channel, limit=200))
            self._members_of[channel] = listing
            listing.add_done_callback(partial(self._forget_failed_listing, channel))
        # Shielded: one waiter cancelled must not cancel the listing the others wait on.
        listed = await asyncio.shield(listing)
        return [str(member) for member in listed["members"]]

    def _forget_failed_listing(
        self, channel: str, listing: asyncio.Task[AsyncSlackResponse]
    ) -> None:
        """A failed listing is not kept (the next note asks again), and its error counts as
        seen even when every note waiting for it has gone."""
        failed = listing.cancelled() or listing.exception() is not None
        if failed and self._members_of.get(channel) is listing:
            del self._members_of[channel]

    @staticmethod
    async def _permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
        try:
            found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError:
            return None
        return str(found.get("permalink")) if found.get("permalink") else None
