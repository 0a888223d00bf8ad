"""The Slack surface: ``/report-client``, ``/client``, the "Report client from this message"
shortcut, buttons, the client type-ahead, a form's choice changed in a modal and form
submissions (the App Home is bot/slack/app_home.py).

Commands, the shortcut and buttons are stored, acknowledged, then handled (bot/slack/intake.py);
a form submission answers in its acknowledgement because Slack waits for ``response_action``
there. Everything is answered privately: an ephemeral reply through ``response_url``, or a
modal.
"""

import dataclasses
import logging
import re
from datetime import UTC, datetime
from typing import Any

from cachetools import TTLCache
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.ids import ActionId, CallbackId, SlashCommand
from bot.slack.intake import Ack, Handler, RequestIntake, RequestKind
from bot.slack.people import Directory, Workspace, workspace_of
from bot.slack.render import (
    OPTION_TEXT,
    OPTION_VALUE,
    fallback_text,
    form_values,
    form_view,
    inline_errors,
    message_blocks,
    result_view,
)
from bot.slack.text import typed_text
from bot.surface import SurfaceCore
from skills.clients.search import client_choices
from skills.commands import (
    Command,
    Expired,
    LinkChannel,
    ReportIncident,
    UnlinkChannel,
)
from skills.core.context import Actor
from skills.core.forms import fill_command, parked_command, with_submission_key
from skills.dispatch import check_form
from skills.listening.channel_links import client_of_channel
from skills.replies import Reply
from skills.text.command_parser import parse_command
from skills.text.limits import clip

log = logging.getLogger(__name__)

MAX_OPTIONS = 100
CHANNEL_CACHE_SECONDS = 300


class SlackSurface:
    """Turns Slack payloads into commands and replies into Block Kit."""

    def __init__(self, core: SurfaceCore, directory: Directory) -> None:
        self._core = core
        self._directory = directory
        self._channels: TTLCache[str, dict[str, Any]] = TTLCache(10_000, CHANNEL_CACHE_SECONDS)

    def handlers(self) -> dict[RequestKind, Handler]:
        """What handles each kind of request the intake stores."""
        return {
            RequestKind.COMMAND: self.on_command,
            RequestKind.SHORTCUT: self.on_shortcut,
            RequestKind.BUTTON: self.on_button,
        }

    async def apologise(self, body: dict[str, Any]) -> None:
        """Tell the person their request failed, through its ``response_url`` (a request from a
        modal has none: the failure is only in the log then). The failure came before
        anything was saved, or at the answer itself, which this cannot reach either."""
        respond = _responder(body)
        if respond is None:
            return
        t = self._core.translator(None)
        text = t._("Something went wrong and nothing was saved. The error is in the log.")
        await respond(text=text, response_type="ephemeral")

    def register(self, app: AsyncApp, intake: RequestIntake) -> None:
        """Attach every listener to the bolt app; commands, the shortcut and buttons through
        ``intake``."""
        for command in SlashCommand:
            app.command(command.value)(intake.listener(RequestKind.COMMAND))
        app.shortcut(CallbackId.REPORT_FROM_MESSAGE.value)(intake.listener(RequestKind.SHORTCUT))
        app.action({"type": "block_actions", "action_id": _button_pattern()})(
            intake.listener(RequestKind.BUTTON)
        )
        app.options(ActionId.CLIENT_FIELD.value)(self.on_client_options)
        app.action({"type": "block_actions", "action_id": _field_pattern()})(
            self.on_form_field_changed
        )
        app.view(CallbackId.FORM.value)(self.on_form_submission)

    # Handlers of stored requests.

    async def on_command(
        self, body: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """A slash command: its text is a chat command. A report takes the invocation's
        ``trigger_id`` as its idempotency key, so handling it again files nothing new."""
        actor = await self._actor(client, workspace, body["user_id"])
        command = parse_command(f"{body['command']} {typed_text(body.get('text', ''))}")
        command = with_submission_key(command, f"slack:command:{body['trigger_id']}")
        command = await self._with_channel(command, client, workspace, body.get("channel_id", ""))
        reply = await self._core.handle(actor, command)
        await self._deliver(
            reply, actor, client, trigger_id=body["trigger_id"], respond=_responder(body)
        )

    async def on_shortcut(
        self, body: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """ "Report client from this message": the report form, with the message as evidence."""
        actor = await self._actor(client, workspace, body["user"]["id"])
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "")
        try:
            found = await client.chat_getPermalink(
                channel=channel, message_ts=message.get("ts", "")
            )
            permalink = found.get("permalink")
        except SlackApiError:  # a conversation the bot cannot see: the report goes on without
            permalink = None
        author = await self._author(client, workspace, message)
        written_at = (
            datetime.fromtimestamp(float(message["ts"]), UTC).isoformat()
            if message.get("ts")
            else None
        )
        command = ReportIncident(
            # A linked support channel names its client.
            client=await client_of_channel(self._core.services, actor.tenant_id, channel),
            evidence_link=permalink,
            evidence_text=message.get("text"),
            evidence_author=author,
            evidence_written_at=written_at,
        )
        reply = await self._core.handle(actor, command)
        await self._deliver(
            reply, actor, client, trigger_id=body["trigger_id"], respond=_responder(body)
        )

    async def on_button(
        self, body: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """A button: it carries the command it runs, checked again on the server."""
        actor = await self._actor(client, workspace, body["user"]["id"])
        command = await self._core.buttons.command(body["actions"][0].get("value", ""), actor)
        reply = await self._core.handle(actor, command or Expired("button"))
        view = body.get("view") or {}
        in_modal = view.get("type") == "modal"
        # An ephemeral answer is replaced by the next one; a manager's ping stays, and is
        # updated in place for every manager by the outbox instead.
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        await self._deliver(
            reply,
            actor,
            client,
            trigger_id=body.get("trigger_id"),
            respond=_responder(body),
            view_id=view.get("id") if in_modal else None,
            replace_original=ephemeral,
        )

    # Listeners that answer in their acknowledgement; bolt passes arguments by name.

    async def on_client_options(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """Type-ahead for the client picker."""
        actor = await self._actor(client, workspace_of(context), body["user"]["id"])
        choices = await client_choices(self._core.services, actor, body.get("value", ""))
        await ack(
            options=[
                {
                    "text": {"type": "plain_text", "text": clip(choice.label, OPTION_TEXT)},
                    "value": choice.value,
                }
                for choice in choices[:MAX_OPTIONS]
                # A value Slack would cut could not be found again ("new: <a long name>").
                if len(choice.value) <= OPTION_VALUE
            ]
        )

    async def on_form_submission(
        self,
        ack: Ack,
        body: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        view: dict[str, Any],
    ) -> None:
        """A submitted form: errors go back onto their fields; a result replaces the form."""
        actor = await self._actor(client, workspace_of(context), body["user"]["id"])
        t = self._core.translator(actor.locale)
        values = form_values(view.get("state", {}).get("values", {}))
        command = await self._core.submitted(
            actor, view.get("private_metadata", ""), values, f"slack:view:{view['id']}"
        )
        reply = await self._core.handle(actor, command)
        form = reply.form
        errors = inline_errors(form) if form is not None else None
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        if form is not None:
            parked_id = await self._core.park_form(actor, form)
            await ack(response_action="update", view=form_view(form, parked_id, t._("Cancel")))
            return
        await ack(response_action="update", view=await self._result_view(reply, actor))

    async def on_form_field_changed(
        self, ack: Ack, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """A choice other fields depend on changed in a modal (the report's category): the
        modal is redrawn with the fields that choice needs (days overdue for unpaid invoices,
        and none for other categories). What was typed into the modal stays: the redrawn
        inputs keep their block and action ids. Nothing is submitted."""
        await ack()
        view = body["view"]
        actor = await self._actor(client, workspace_of(context), body["user"]["id"])
        action = body["actions"][0]
        parked = await parked_command(self._core.services, actor, view["private_metadata"])
        if parked is None:
            return  # expired: submitting says so
        changed = form_values({action["block_id"]: {action["action_id"]: action}})
        checked = await check_form(self._core.services, actor, fill_command(parked, changed))
        form = checked.form if checked is not None else None
        if form is None:
            return
        cancel = self._core.translator(actor.locale)._("Cancel")
        try:
            await client.views_update(
                view_id=view["id"],
                # Slack refuses the update if the modal changed since (a later choice):
                # that choice's own redraw is the one to keep.
                hash=view.get("hash"),
                view=form_view(form, view["private_metadata"], cancel),
            )
        except SlackApiError as error:
            log.info("a form was not redrawn: %s", error.response.get("error"))

    # Helpers.

    async def _actor(self, client: AsyncWebClient, workspace: Workspace, user_id: str) -> Actor:
        actor = await self._directory.actor(client, workspace, user_id)
        await self._core.ensure_tenant_once(actor.tenant_id)
        return actor

    async def _with_channel(
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

    async def _channel(self, client: AsyncWebClient, channel: str) -> dict[str, Any]:
        """What conversations.info says of the channel, kept a few minutes ({} when Slack will
        not say)."""
        cached = self._channels.get(channel)
        if cached is None:
            try:
                cached = dict((await client.conversations_info(channel=channel))["channel"])
            except SlackApiError:
                cached = {}
            self._channels[channel] = cached
        return cached

    async def _author(
        self, client: AsyncWebClient, workspace: Workspace, message: dict[str, Any]
    ) -> str | None:
        """Who wrote a message: their name, or their id when Slack will not say."""
        author_id = message.get("user")
        if not author_id:
            return message.get("username")
        try:
            return (await self._directory.person(client, workspace, author_id)).name
        except SlackApiError:
            return str(author_id)

    async def _deliver(
        self,
        reply: Reply,
        actor: Actor,
        client: AsyncWebClient,
        *,
        trigger_id: str | None,
        respond: AsyncRespond | None = None,
        view_id: str | None = None,
        replace_original: bool = False,
    ) -> None:
        """Show the reply privately: a form as a modal, anything else where it was asked for."""
        t = self._core.translator(actor.locale)
        form = reply.form
        if form is not None:
            parked_id = await self._core.park_form(actor, form)
            modal = form_view(form, parked_id, t._("Cancel"))
            try:
                if view_id:
                    await client.views_update(view_id=view_id, view=modal)
                else:
                    await client.views_open(trigger_id=trigger_id, view=modal)
            except SlackApiError as error:
                # Typically an expired trigger (Slack allows 3 seconds); say so, lose nothing.
                log.warning("could not open a form: %s", error.response.get("error"))
                if respond is not None:
                    text = t._("Slack did not open the form in time. Please try again.")
                    await respond(text=text, response_type="ephemeral")
            return
        buttons = await self._core.buttons.values(reply, actor)
        if respond is not None:
            await respond(
                text=fallback_text(reply),
                blocks=message_blocks(reply, buttons.__getitem__),
                response_type="ephemeral",
                replace_original=replace_original,
            )
            return
        view = await self._result_view(reply, actor)
        if view_id:
            await client.views_update(view_id=view_id, view=view)
        else:
            await client.views_open(trigger_id=trigger_id, view=view)

    async def _result_view(self, reply: Reply, actor: Actor) -> View:
        buttons = await self._core.buttons.values(reply, actor)
        close = self._core.translator(actor.locale)._("Close")
        return result_view(reply, "Yellowcard", close, buttons.__getitem__)


def _responder(body: dict[str, Any]) -> AsyncRespond | None:
    """Answers through the request's ``response_url``, which Slack keeps for 30 minutes, so a
    request handled after a restart is still answered."""
    url = body.get("response_url")
    return AsyncRespond(response_url=url) if url else None


def _button_pattern() -> re.Pattern[str]:
    return re.compile("^" + re.escape(ActionId.BUTTON_PREFIX.value))


def _field_pattern() -> re.Pattern[str]:
    return re.compile("^" + re.escape(ActionId.FORM_FIELD_PREFIX.value))
