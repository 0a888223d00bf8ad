"""The Teams surface: the Agents SDK's agent for Yellowcard.

Messages are the chat commands without the slash (the bot's @mention stripped in channels);
card buttons and form submissions arrive as messages with a ``value``; the "Report client"
message action arrives as ``composeExtension/fetchTask`` and ``submitAction`` invokes.

Private by rule: in a one-to-one chat the answer comes there; anywhere else it goes to the
person's one-to-one chat with the bot, and the conversation only hears that it did.
"""

import dataclasses
import logging
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationParameters,
    InvokeResponse,
)
from microsoft_agents.hosting.core import TurnContext

from bot.buttons import ButtonCodec
from bot.listening_queue import ListeningQueue
from bot.teams.channel_listener import TeamsChannelListener
from bot.teams.connector import Connector
from bot.teams.html_text import html_to_text
from bot.teams.messages import card_activity, reply_activity
from bot.teams.people import PLATFORM, Directory, channel_of, person_id, tenant_of
from bot.teams.render import (
    BUTTON_DATA,
    FORM_DATA,
    attachment,
    form_card,
    submitted_values,
)
from bot.worker.notifier import DeliveryError
from skills.commands import (
    ChangeSetting,
    Command,
    Expired,
    LinkChannel,
    ReportIncident,
    UnlinkChannel,
)
from skills.core.context import Actor, Services
from skills.core.forms import park_command, parked_command
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle_or_apologise
from skills.listening.channel_links import client_of_channel
from skills.replies import Paragraph, Reply, submitted_command
from skills.text.command_parser import parse_command
from skills.text.i18n import Translator, supported_language, translator

log = logging.getLogger(__name__)

FETCH_TASK = "composeExtension/fetchTask"
SUBMIT_ACTION = "composeExtension/submitAction"
PERSONAL = "personal"
# Said in a channel after answering privately; "here" names the channel in a settings command.
HERE = "here"


class TeamsSurface:
    """Turns Teams activities into commands and replies into Adaptive Cards."""

    def __init__(
        self,
        services: Services,
        connector: Connector,
        directory: Directory,
        buttons: ButtonCodec,
        default_language: str,
        heard: ListeningQueue,
    ) -> None:
        self._services = services
        self._connector = connector
        self._directory = directory
        self._buttons = buttons
        self._default_language = default_language
        self._installed_tenants: set[str] = set()
        self._listener = TeamsChannelListener(
            services, connector, directory, buttons, default_language, heard
        )

    async def on_turn(self, context: TurnContext) -> None:
        """Every activity Teams sends (the SDK's ``Agent`` protocol)."""
        activity = context.activity
        tenant_id = tenant_of(activity)
        if tenant_id is None:
            return
        if activity.type in {ActivityTypes.conversation_update, ActivityTypes.installation_update}:
            await self._installed(context, tenant_id)
            return
        if activity.type not in {ActivityTypes.message, ActivityTypes.invoke}:
            return
        if self._overheard(activity):
            if await self._is_installed(tenant_id):
                await self._listener.hear(context, tenant_id)
            return
        actor = await self._actor(context, tenant_id)
        if actor is None:
            return
        await self._remember(activity, actor)
        if activity.type == ActivityTypes.invoke:
            await self._invoke(context, actor)
        else:
            await self._message(context, actor)

    # Activities.

    async def _installed(self, context: TurnContext, tenant_id: str) -> None:
        """The app was added (the installer becomes the tenant's first manager), or the
        conversation changed: either way its reference is kept up to date."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else ""
        bot_added = any(member.id == bot_id for member in activity.members_added or [])
        if bot_added or activity.action == "add":
            installer = await self._directory.actor(activity, tenant_id)
            if installer.is_guest:
                # A guest (or someone of another organisation) must not become a manager.
                log.warning("Yellowcard added to %s by a guest: not set up", tenant_id)
                return
            await ensure_tenant(
                self._services,
                tenant_id=tenant_id,
                platform=PLATFORM,
                language=supported_language(activity.locale) or self._default_language,
                founder=installer,
            )
        sender = Actor(tenant_id, person_id(activity), activity.from_property.name or "")
        if await self._is_installed(tenant_id):
            await self._remember(activity, sender)

    async def _message(self, context: TurnContext, actor: Actor) -> None:
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        if BUTTON_DATA in value:
            command = await self._buttons.command(str(value[BUTTON_DATA]), actor)
            command = command or Expired("button")
        elif FORM_DATA in value:
            command = await self._submitted(actor, value)
        else:
            text = (activity.remove_recipient_mention() or activity.text or "").strip()
            command = self._here(activity, parse_command(text))
        reply = await self._handle(actor, command)
        # A submitted form is redrawn in place (with its errors, or as the result); a button's
        # answer is a new message, since the card it was on (a manager's ping, say) stays.
        replace = activity.reply_to_id if FORM_DATA in value else None
        await self._answer(context, actor, reply, replace=replace)

    async def _invoke(self, context: TurnContext, actor: Actor) -> None:
        """The "Report client" message action: the form, prefilled, then its submission."""
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        if activity.name == FETCH_TASK:
            channel = channel_of(activity)
            linked = (
                await client_of_channel(self._services, actor.tenant_id, channel[0])
                if channel
                else None
            )
            command: Command = dataclasses.replace(
                _from_message(value.get("messagePayload") or {}), client=linked
            )
        elif activity.name == SUBMIT_ACTION:
            command = await self._submitted(actor, value.get("data") or {})
        else:
            await _invoke_response(context, {})
            return
        reply = await self._handle(actor, command)
        form = reply.form
        if form is not None:
            parked = await park_command(self._services, actor, form.command)
            card = form_card(form, parked)
            task = {"type": "continue", "value": {"title": form.title, "card": attachment(card)}}
        else:
            text = "\n".join(block.text for block in reply.blocks if isinstance(block, Paragraph))
            task = {"type": "message", "value": reply.headline + ("\n" + text if text else "")}
        await _invoke_response(context, {"task": task})

    # Helpers.

    async def _actor(self, context: TurnContext, tenant_id: str) -> Actor | None:
        """The person, or None after telling them why they cannot be served."""
        activity = context.activity
        t = translator(supported_language(activity.locale) or self._default_language)
        if not await self._is_installed(tenant_id):
            await self._say(context, t._("Yellowcard is not installed in your organisation."))
            return None
        try:
            return await self._directory.actor(activity, tenant_id)
        except DeliveryError as error:
            log.warning("member lookup failed: %s", error.reason)
            await self._say(context, t._("Teams did not say who you are. Please try again."))
            return None

    async def _is_installed(self, tenant_id: str) -> bool:
        # Asked on every activity (each overheard channel message too): a tenant once set up
        # stays set up, so only the first answer per tenant costs a query.
        if tenant_id in self._installed_tenants:
            return True
        async with self._services.unit_of_work() as uow:
            installed = await uow.tenants.get(tenant_id) is not None
        if installed:
            self._installed_tenants.add(tenant_id)
        return installed

    async def _remember(self, activity: Activity, actor: Actor) -> None:
        """Keep the conversation's reference, so the bot can write there later."""
        conversation = activity.conversation
        if conversation is None:
            return
        reference = activity.get_conversation_reference().model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        channel = channel_of(activity)
        if conversation.conversation_type == PERSONAL:
            address, shared = f"user:{actor.user_id}", False
        elif channel is not None:
            # The channel itself, not the thread this message is in: the summary starts a post.
            channel_id, shared = channel
            address = f"channel:{channel_id}"
            reference["conversation"]["id"] = channel_id
        else:
            return  # a group chat: Yellowcard never writes there on its own
        async with self._services.unit_of_work() as uow:
            await uow.conversations.remember(
                actor.tenant_id,
                address,
                {"reference": reference, "kind": conversation.conversation_type, "shared": shared},
                self._services.clock(),
            )
            await uow.commit()

    async def _submitted(self, actor: Actor, data: dict[str, Any]) -> Command:
        parked = await parked_command(self._services, actor, str(data.get(FORM_DATA, "")))
        if parked is None:
            return Expired("form")
        return submitted_command(parked, submitted_values(data), f"teams:form:{data[FORM_DATA]}")

    async def _handle(self, actor: Actor, command: Command) -> Reply:
        return await handle_or_apologise(self._services, actor, command, self._default_language)

    async def _answer(
        self, context: TurnContext, actor: Actor, reply: Reply, *, replace: str | None
    ) -> None:
        form = reply.form
        if form is not None:
            parked = await park_command(self._services, actor, form.command)
            message = card_activity(form_card(form, parked), reply.headline)
        else:
            message = await reply_activity(self._buttons, reply, actor)
        conversation = context.activity.conversation
        if conversation is not None and conversation.conversation_type == PERSONAL:
            if replace:
                message.id = replace
                await context.update_activity(message)
            else:
                await context.send_activity(message)
            return
        t = self._translator(actor)
        try:
            await self._send_privately(context, message)
        except DeliveryError as error:
            log.warning("could not answer %s privately: %s", actor.user_id, error.reason)
            await self._say(context, t._("I could not write to you privately. Please try again."))
            return
        await self._say(context, t._("I answered you in a private chat."))

    async def _send_privately(self, context: TurnContext, message: Activity) -> None:
        """Into the person's one-to-one chat with the bot (created when there is none)."""
        activity = context.activity
        sender = activity.from_property
        assert sender is not None
        assert activity.service_url
        parameters = ConversationParameters(
            is_group=False,
            agent=activity.recipient,
            members=[ChannelAccount(id=sender.id)],
            tenant_id=(tenant_of(activity) or "").removeprefix(f"{PLATFORM}:"),
        )
        async with self._connector.client(activity.service_url) as client:
            created = await client.conversations.create_conversation(parameters)
            await client.conversations.send_to_conversation(created.id, message)

    async def _say(self, context: TurnContext, text: str) -> None:
        if context.activity.type == ActivityTypes.invoke:
            await _invoke_response(context, {"task": {"type": "message", "value": text}})
        else:
            await context.send_activity(Activity(type=ActivityTypes.message, text=text))

    def _here(self, activity: Activity, command: Command) -> Command:
        """Commands about the channel they are typed in: ``link``/``unlink`` act on it, and
        ``summary-channels here`` names it (Teams has no channel links in text)."""
        channel = channel_of(activity)
        if channel is None:
            return command
        if isinstance(command, LinkChannel | UnlinkChannel):
            return dataclasses.replace(command, channel=channel[0])
        if not (isinstance(command, ChangeSetting) and command.name == "summary-channels"):
            return command
        words = [channel[0] if word == HERE else word for word in command.value.split()]
        return dataclasses.replace(command, value=" ".join(words))

    @staticmethod
    def _overheard(activity: Activity) -> bool:
        """A channel message not addressed to the bot: listened to, not a command."""
        if activity.type != ActivityTypes.message or channel_of(activity) is None:
            return False
        bot_id = activity.recipient.id if activity.recipient else None
        mentioned = any(mention.mentioned.id == bot_id for mention in activity.get_mentions())
        return not mentioned and not isinstance(activity.value, dict)

    def _translator(self, actor: Actor) -> Translator:
        return translator(supported_language(actor.locale) or self._default_language)


def _from_message(payload: dict[str, Any]) -> ReportIncident:
    """The report form prefilled with a Teams message, kept as evidence."""
    body = payload.get("body") or {}
    content = str(body.get("content") or "")
    author = ((payload.get("from") or {}).get("user") or {}).get("displayName")
    return ReportIncident(
        evidence_link=payload.get("linkToMessage"),
        evidence_text=html_to_text(content) if body.get("contentType") == "html" else content,
        evidence_author=author,
        evidence_written_at=payload.get("createdDateTime"),
    )


async def _invoke_response(context: TurnContext, body: dict[str, Any]) -> None:
    await context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
    )
