"""The Slack surface: ``/report-client``, ``/client``, the "Report client from this message"
shortcut, buttons, the client type-ahead, form submissions and the App Home.

Commands, the shortcut and buttons are stored, acknowledged, then handled (bot/slack/intake.py);
a form submission answers in its acknowledgement because Slack waits for ``response_action``
there. Everything is answered privately: an ephemeral reply through ``response_url``, or a
modal.
"""

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.buttons import ButtonCodec
from bot.slack.channel_listener import SlackChannelListener
from bot.slack.ids import ActionId, CallbackId, SlashCommand
from bot.slack.intake import Ack, Handler, RequestIntake, RequestKind
from bot.slack.people import Directory, Workspace, workspace_of
from bot.slack.render import (
    OPTION_TEXT,
    OPTION_VALUE,
    fallback_text,
    form_values,
    form_view,
    home_view,
    message_blocks,
    result_view,
)
from bot.slack.text import typed_text
from skills.clients.search import client_choices
from skills.commands import (
    Command,
    Expired,
    ReportIncident,
    ShowHome,
)
from skills.core.context import Actor, Services
from skills.core.forms import park_command, parked_command
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle_or_apologise
from skills.listening.channel_links import client_of_channel
from skills.replies import Reply, submitted_command, with_submission_key
from skills.text.command_parser import parse_command
from skills.text.i18n import Translator, supported_language, translator
from skills.text.limits import clip

log = logging.getLogger(__name__)

MAX_OPTIONS = 100
# Events API subscriptions; the manifest subscribes to the same ones.
EVENTS = ("app_home_opened",)


class SlackSurface:
    """Turns Slack payloads into commands and replies into Block Kit."""

    def __init__(
        self,
        services: Services,
        directory: Directory,
        buttons: ButtonCodec,
        default_language: str,
        channels: SlackChannelListener,
    ) -> None:
        self._services = services
        self._directory = directory
        self._buttons = buttons
        self._default_language = default_language
        self._channels = channels
        self._known_tenants: set[str] = set()

    def handlers(self) -> dict[RequestKind, Handler]:
        """What handles each kind of request the intake stores."""
        return {
            RequestKind.COMMAND: self.on_command,
            RequestKind.SHORTCUT: self.on_shortcut,
            RequestKind.BUTTON: self.on_button,
        }

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
        app.view(CallbackId.FORM.value)(self.on_form_submission)
        app.event(EVENTS[0])(self.on_home_opened)

    # Handlers of stored requests.

    async def on_command(
        self, body: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """A slash command: its text is a chat command. A report takes the invocation's
        ``trigger_id`` as its idempotency key, so handling it again files nothing new."""
        actor = await self._actor(client, workspace, body["user_id"])
        command = parse_command(f"{body['command']} {typed_text(body.get('text', ''))}")
        command = with_submission_key(command, f"slack:command:{body['trigger_id']}")
        command = await self._channels.with_channel(
            command, client, workspace, body.get("channel_id", "")
        )
        reply = await self._handle(actor, command)
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
            client=await client_of_channel(self._services, actor.tenant_id, channel),
            evidence_link=permalink,
            evidence_text=message.get("text"),
            evidence_author=author,
            evidence_written_at=written_at,
        )
        reply = await self._handle(actor, command)
        await self._deliver(
            reply, actor, client, trigger_id=body["trigger_id"], respond=_responder(body)
        )

    async def on_button(
        self, body: dict[str, Any], client: AsyncWebClient, workspace: Workspace
    ) -> None:
        """A button: it carries the command it runs, checked again on the server."""
        actor = await self._actor(client, workspace, body["user"]["id"])
        command = await self._buttons.command(body["actions"][0].get("value", ""), actor)
        reply = await self._handle(actor, command or Expired("button"))
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
        choices = await client_choices(self._services, actor, body.get("value", ""))
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
        t = self._translator(actor)
        parked = await parked_command(self._services, actor, view.get("private_metadata", ""))
        values = form_values(view.get("state", {}).get("values", {}))
        key = f"slack:view:{view['id']}"
        command = submitted_command(parked, values, key) if parked else Expired("form")
        reply = await self._handle(actor, command)
        form = reply.form
        if form is not None and form.errors:
            await ack(response_action="errors", errors=dict(form.errors))
            return
        if form is not None:
            parked_id = await park_command(self._services, actor, form.command)
            await ack(response_action="update", view=form_view(form, parked_id, t._("Cancel")))
            return
        await ack(response_action="update", view=await self._result_view(reply, actor))

    async def on_home_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The App Home tab, drawn afresh each time it is opened."""
        if event.get("tab") != "home":
            return
        actor = await self._actor(client, workspace_of(context), event["user"])
        reply = await self._handle(actor, ShowHome())
        buttons = await self._buttons.values(reply, actor)
        await client.views_publish(
            user_id=actor.user_id, view=home_view(reply, buttons.__getitem__)
        )

    # Helpers.

    async def _actor(self, client: AsyncWebClient, workspace: Workspace, user_id: str) -> Actor:
        actor = await self._directory.actor(client, workspace, user_id)
        if actor.tenant_id not in self._known_tenants:
            await ensure_tenant(
                self._services,
                tenant_id=actor.tenant_id,
                platform="slack",
                language=self._default_language,
            )
            self._known_tenants.add(actor.tenant_id)
        return actor

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

    async def _handle(self, actor: Actor, command: Command) -> Reply:
        return await handle_or_apologise(self._services, actor, command, self._default_language)

    def _translator(self, actor: Actor) -> Translator:
        return translator(supported_language(actor.locale) or self._default_language)

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
        t = self._translator(actor)
        form = reply.form
        if form is not None:
            parked_id = await park_command(self._services, actor, form.command)
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
        buttons = await self._buttons.values(reply, actor)
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
        buttons = await self._buttons.values(reply, actor)
        close = self._translator(actor)._("Close")
        return result_view(reply, "Yellowcard", close, buttons.__getitem__)


def _responder(body: dict[str, Any]) -> AsyncRespond | None:
    """Answers through the request's ``response_url``, which Slack keeps for 30 minutes, so a
    request handled after a restart is still answered."""
    url = body.get("response_url")
    return AsyncRespond(response_url=url) if url else None


def _button_pattern() -> re.Pattern[str]:
    return re.compile("^" + re.escape(ActionId.BUTTON_PREFIX.value))
