"""Listening in Slack support channels: message events counted for the linked client, abusive
client messages flagged privately to the staff in the channel, and Slack Connect channels
linked by their other organisation.

Deliveries over HTTP come through the message lane (``bot/slack/message_lane.py``), which
answers Slack at once and runs this after; over Socket Mode they come through bolt. A
redelivery (same ``event_id``) is acknowledged and not counted again.
"""

import asyncio
import dataclasses
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

from bot.buttons import ButtonCodec
from bot.listening_queue import ListeningQueue
from bot.slack.people import Directory, Workspace, workspace_of
from bot.slack.render import fallback_text, message_blocks
from skills.commands import Command, LinkChannel, ReportIncident, UnlinkChannel
from skills.core.context import Actor, Services
from skills.listening.abuse_note import abuse_note
from skills.listening.channel_links import link_by_organisation
from skills.listening.hearing import HeardMessage
from skills.text.limits import clip

log = logging.getLogger(__name__)

# Message events the manifest subscribes to (public and private channels); bolt hears both as
# "message".
MESSAGE_EVENTS = ("message.channels", "message.groups")
# Plain messages are counted; edits, deletions, joins, bots' posts and the like are not.
COUNTED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
STAFF_NOTIFIED = 25
NOTE_EVIDENCE = 300
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL_CACHE_SECONDS = 300
MEMBERS_CACHE_SECONDS = 60


class SlackChannelListener:
    """Message events of the channels the bot is in."""

    def __init__(
        self,
        services: Services,
        directory: Directory,
        buttons: ButtonCodec,
        language: str,
        heard: ListeningQueue,
    ) -> None:
        self._heard = heard
        self._services = services
        self._directory = directory
        self._buttons = buttons
        self._language = language
        self._channels: TTLCache[str, dict[str, Any]] = TTLCache(10_000, CHANNEL_CACHE_SECONDS)
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
                self._services, workspace.tenant_id, channel, author.team_id
            )
        ):
            heard = await self._heard.hear(message)
        if heard.finding is None or heard.client_id is None:
            return
        report = ReportIncident(
            client=f"client-id:{heard.client_id}",
            category=heard.finding.category,
            evidence_link=await self._permalink(client, channel, str(event.get("ts", ""))),
            # The note's button carries the start of the message (and its link): enough to file
            # it, small enough to stay inside the signed button instead of the database.
            evidence_text=clip(message.text, NOTE_EVIDENCE),
            evidence_author=author.name,
            evidence_written_at=message.at.isoformat(),
        )
        await self._warn_staff(client, workspace, channel, author.name, heard.finding, report)

    async def with_channel(
        self, command: Command, client: AsyncWebClient, workspace: Workspace, channel: str
    ) -> Command:
        """``/client link`` and ``unlink`` act on the channel they are typed in; a Slack Connect
        channel's other organisations (never the installation's own) go to the client's
        record."""
        if isinstance(command, UnlinkChannel):
            return dataclasses.replace(command, channel=channel)
        if not isinstance(command, LinkChannel):
            return command
        info = await self._channel(client, channel)
        own = workspace.organisations
        teams = info.get("connected_team_ids") or info.get("shared_team_ids") or []
        others = [team for team in teams if team not in own] if info.get("is_ext_shared") else []
        return dataclasses.replace(command, channel=channel, organisations=",".join(others) or None)

    async def _warn_staff(
        self,
        client: AsyncWebClient,
        workspace: Workspace,
        channel: str,
        author: str,
        finding: Any,
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
            actor = Actor(workspace.tenant_id, person.user_id, person.name, locale=person.locale)
            reply = abuse_note(actor, self._language, author, finding, report)
            buttons = await self._buttons.values(reply, actor)
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

    async def _channel(self, client: AsyncWebClient, channel: str) -> dict[str, Any]:
        cached = self._channels.get(channel)
        if cached is None:
            try:
                cached = dict((await client.conversations_info(channel=channel))["channel"])
            except SlackApiError:
                cached = {}
            self._channels[channel] = cached
        return cached

    @staticmethod
    async def _permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
        try:
            found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError:
            return None
        return str(found.get("permalink")) if found.get("permalink") else None
