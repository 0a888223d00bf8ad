"""The Teams surface: the Agents SDK's agent for Yellowcard.

Every activity goes through one table, ``TeamsSurface.routes`` (activity type, what it is):

- ``conversationUpdate``, ``installationUpdate``: the app added (the installer is welcomed), or
  a conversation changed;
- ``message`` saying ``set up``: a tenant whose installation Teams never announced sets it up;
- ``message`` in a channel, not addressed to the bot: overheard, counted (listening);
- ``message`` carrying a button's data, or a form's: a card's button, a submitted form;
- any other ``message``: a chat command without the slash (the bot's @mention stripped);
- ``invoke`` ``composeExtension/fetchTask`` and ``composeExtension/submitAction``: the
  "Report client" message action, and its form submitted;
- ``invoke`` ``fileConsent/invoke``: Allow or Decline on a file offered (a client's export,
  bot/teams/file_consent.py); any other invoke gets an empty answer.

Private by rule: in a one-to-one chat the answer comes there; anywhere else it goes to the
person's one-to-one chat with the bot, and the conversation only hears that it did.

People a reply names are mentions, with the names Teams gives them (``bot.teams.people.Names``);
people a command mentions reach the skills as ``<@Entra object id|name>``.
"""

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationParameters,
    InvokeResponse,
)
from microsoft_agents.hosting.core import TurnContext

from bot.listening_queue import ListeningQueue
from bot.surface import SurfaceCore
from bot.teams.channel_listener import TeamsChannelListener
from bot.teams.connector import Connector
from bot.teams.file_consent import FILE_CONSENT, answer_of
from bot.teams.html_text import html_to_text
from bot.teams.messages import card_activity, reply_activity
from bot.teams.people import PLATFORM, Directory, channel_of, person_id, tenant_of
from bot.teams.render import (
    BUTTON_DATA,
    FORM_DATA,
    attachment,
    form_card,
    left_for_later,
    people_in,
    plain_text,
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
from skills.core.context import Actor
from skills.core.tenancy import set_up_missed_installation
from skills.core.welcome import queue_welcome
from skills.dispatch import check_form
from skills.listening.channel_links import client_of_channel
from skills.outbox.conversations import channel_address, person_address, remember_conversation
from skills.replies import Paragraph, Reply
from skills.text.command_parser import parse_command
from skills.text.i18n import supported_language

log = logging.getLogger(__name__)

FETCH_TASK = "composeExtension/fetchTask"
SUBMIT_ACTION = "composeExtension/submitAction"
PERSONAL = "personal"
# Said in a channel after answering privately; "here" names the channel in a settings command.
HERE = "here"
# What a message is, for the routes: overheard, a button, a form, setting up or a command. Other
# activities are routed by their name (an invoke's), or by their type alone (ANY).
OVERHEARD, BUTTON, FORM, SET_UP, COMMAND = "overheard", "button", "form", "set up", "command"
# The words of the one command that works before the tenant is set up.
SET_UP_WORDS = frozenset({"set up", "setup"})
ANY = "*"

Route = tuple[str, str]
TurnHandler = Callable[[TurnContext, str], Awaitable[None]]
PersonHandler = Callable[[TurnContext, Actor], Awaitable[None]]


class TeamsSurface:
    """Turns Teams activities into commands and replies into Adaptive Cards."""

    def __init__(
        self, core: SurfaceCore, connector: Connector, directory: Directory, heard: ListeningQueue
    ) -> None:
        self._core = core
        self._connector = connector
        self._directory = directory
        self._listener = TeamsChannelListener(core, directory, heard)
        self._routes = self.routes()

    def routes(self) -> dict[Route, TurnHandler]:
        """Which handler takes each activity, by its type and what it is (``route_of``).
        Handlers for a person run once the person is known and served (``_for_a_person``)."""
        person = self._for_a_person
        return {
            (ActivityTypes.conversation_update, ANY): self.on_installed,
            (ActivityTypes.installation_update, ANY): self.on_installed,
            (ActivityTypes.message, OVERHEARD): self.on_overheard,
            (ActivityTypes.message, BUTTON): person(self.on_button),
            (ActivityTypes.message, FORM): person(self.on_form),
            (ActivityTypes.message, SET_UP): self.on_set_up,
            (ActivityTypes.message, COMMAND): person(self.on_command),
            (ActivityTypes.invoke, FETCH_TASK): person(self.on_fetch_task),
            (ActivityTypes.invoke, SUBMIT_ACTION): person(self.on_submit_action),
            (ActivityTypes.invoke, FILE_CONSENT): person(self.on_file_consent),
            (ActivityTypes.invoke, ANY): person(self.on_other_invoke),
        }

    async def on_turn(self, context: TurnContext) -> None:
        """Every activity Teams sends (the SDK's ``Agent`` protocol): to its route, if any."""
        tenant_id = tenant_of(context.activity)
        if tenant_id is None:
            return
        kind, name = route_of(context.activity)
        handler = self._routes.get((kind, name)) or self._routes.get((kind, ANY))
        if handler is not None:
            await handler(context, tenant_id)

    # Activities before anyone is served.

    async def on_installed(self, context: TurnContext, tenant_id: str) -> None:
        """The app was added (the installer becomes the tenant's first manager and is welcomed
        in their one-to-one chat), or the conversation changed: either way its reference is
        kept up to date."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else ""
        bot_added = any(member.id == bot_id for member in activity.members_added or [])
        if not (bot_added or activity.action == "add"):
            if await self._core.is_set_up(tenant_id):
                sender = Actor(tenant_id, person_id(activity), activity.from_property.name or "")
                await self._remember(activity, sender)
            return
        installer = await self._directory.actor(activity, tenant_id)
        if installer.is_guest:
            # A guest (or someone of another organisation) must not become a manager.
            log.warning("Yellowcard added to %s by a guest: not set up", tenant_id)
            return
        await self._core.ensure_tenant_once(
            tenant_id, language=supported_language(activity.locale), founder=installer
        )
        await self._remember(activity, installer)
        # The welcome goes through the outbox, which can write only where a conversation is
        # kept: added to a team or a group chat, the installer's own chat is opened first.
        if await self._private_chat_kept(context, installer):
            await queue_welcome(self._core.services, installer)

    async def on_set_up(self, context: TurnContext, tenant_id: str) -> None:
        """``set up``: the way out when Teams never said the app was installed. The person
        becomes the first manager of a tenant with no installation; refused once there is one
        (the skill decides)."""
        activity = context.activity
        try:
            person = await self._directory.actor(activity, tenant_id)
        except DeliveryError as error:
            log.warning("member lookup failed: %s", error.reason)
            t = self._core.translator(activity.locale)
            await self._say(context, t._("Teams did not say who you are. Please try again."))
            return
        language = supported_language(activity.locale) or self._core.default_language
        reply = await set_up_missed_installation(
            self._core.services, person, platform=PLATFORM, language=language
        )
        if await self._core.is_set_up(tenant_id):
            await self._remember(activity, person)
        await self._answer(context, person, reply, replace=None)

    async def on_overheard(self, context: TurnContext, tenant_id: str) -> None:
        """A channel message not addressed to the bot: counted, never answered."""
        if await self._core.is_set_up(tenant_id):
            await self._listener.hear(context, tenant_id)

    # Activities of a person who is served.

    async def on_button(self, context: TurnContext, actor: Actor) -> None:
        """A card's button: it carries the command it runs, checked again on the server. Its
        answer is a new message, since the card it was on (a manager's ping, say) stays."""
        value = _value(context.activity)
        command = await self._core.buttons.command(str(value[BUTTON_DATA]), actor)
        reply = await self._core.handle(actor, command or Expired("button"))
        await self._answer(context, actor, reply, replace=None)

    async def on_form(self, context: TurnContext, actor: Actor) -> None:
        """A submitted form, redrawn in place: with its errors, with the fields its choices
        need, or as the result."""
        reply = await self._submission(actor, _value(context.activity))
        await self._answer(context, actor, reply, replace=context.activity.reply_to_id)

    async def on_command(self, context: TurnContext, actor: Actor) -> None:
        """A chat command, the bot's @mention removed and anyone else's read as the person
        (``managers add @Ana``)."""
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        text = activity.remove_recipient_mention() or activity.text or ""
        for mentioned in activity.get_mentions():
            account = mentioned.mentioned
            if account is None or account.id == bot_id or not mentioned.text:
                continue
            name = (account.name or "").replace(">", "")
            try:
                entra_id = await self._directory.entra_id(activity, account)
            except DeliveryError as error:
                log.warning("mentioned member lookup failed: %s", error.reason)
                t = self._core.translator(actor.locale)
                await self._say(
                    context,
                    t._(
                        "Teams did not say who {name} is. Please try again, or write their "
                        "Microsoft Entra object id.",
                        name=name,
                    ),
                )
                return
            text = text.replace(mentioned.text, f"<@{entra_id}|{name}>")
        command = self._here(activity, parse_command(text.strip()))
        reply = await self._core.handle(actor, command)
        await self._answer(context, actor, reply, replace=None)

    async def on_fetch_task(self, context: TurnContext, actor: Actor) -> None:
        """The "Report client" message action: the report form, prefilled with the message (and
        the client, in a linked channel)."""
        activity = context.activity
        channel = channel_of(activity)
        linked = (
            await client_of_channel(self._core.services, actor.tenant_id, channel[0])
            if channel
            else None
        )
        message = _value(activity).get("messagePayload") or {}
        command = dataclasses.replace(_from_message(message), client=linked)
        await self._task(context, actor, await self._core.handle(actor, command))

    async def on_submit_action(self, context: TurnContext, actor: Actor) -> None:
        """The message action's form, submitted."""
        reply = await self._submission(actor, _value(context.activity).get("data") or {})
        await self._task(context, actor, reply)

    async def on_file_consent(self, context: TurnContext, actor: Actor) -> None:
        """Allow or Decline on a file consent card. Allowed, the file follows from the outbox
        and only a problem is said; declined, the answer says so."""
        reply = await self._core.handle(actor, answer_of(_value(context.activity)))
        if reply.blocks:
            await self._answer(context, actor, reply, replace=None)
        await _invoke_response(context, {})

    async def on_other_invoke(self, context: TurnContext, actor: Actor) -> None:
        """An invoke Yellowcard does not use: answered, empty, so Teams does not wait."""
        await _invoke_response(context, {})

    # Helpers.

    def _for_a_person(self, handler: PersonHandler) -> TurnHandler:
        """``handler`` once the person is known and served, their conversation kept."""

        async def served(context: TurnContext, tenant_id: str) -> None:
            actor = await self._actor(context, tenant_id)
            if actor is None:
                return
            await self._remember(context.activity, actor)
            await handler(context, actor)

        return served

    async def _actor(self, context: TurnContext, tenant_id: str) -> Actor | None:
        """The person, or None after telling them why they cannot be served."""
        activity = context.activity
        t = self._core.translator(activity.locale)
        if not await self._core.is_set_up(tenant_id):
            await self._say(
                context,
                t._(
                    "Yellowcard has no installation for your organisation: Teams did not say "
                    "it was added. If you may set it up, write {command} to set it up with "
                    "you as its first manager.",
                    command=t.quote("set up"),
                ),
            )
            return None
        try:
            return await self._directory.actor(activity, tenant_id)
        except DeliveryError as error:
            log.warning("member lookup failed: %s", error.reason)
            await self._say(context, t._("Teams did not say who you are. Please try again."))
            return None

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
            address, shared = person_address(actor.user_id), False
        elif channel is not None:
            # The channel itself, not the thread this message is in: the summary starts a post.
            channel_id, shared = channel
            address = channel_address(channel_id)
            reference["conversation"]["id"] = channel_id
        else:
            return  # a group chat: Yellowcard never writes there on its own
        kept = {"reference": reference, "kind": conversation.conversation_type, "shared": shared}
        await remember_conversation(self._core.services, actor.tenant_id, address, kept)

    async def _submission(self, actor: Actor, data: dict[str, Any]) -> Reply:
        """What a submitted card leads to. A card leaves off the fields that wait for a choice
        (days overdue wait for the category); when the choice made one of them needed, the
        form comes back with it, checked, before anything is filed: a second step, for
        unpaid invoices only. Otherwise the command is handled."""
        parked_id = str(data.get(FORM_DATA, ""))
        values = submitted_values(data)
        command = await self._core.submitted(actor, parked_id, values, f"teams:form:{parked_id}")
        later = left_for_later(data)
        checked = await check_form(self._core.services, actor, command) if later else None
        form = checked.form if checked is not None else None
        if (
            checked is not None
            and form is not None
            and any(field.name in later and not form.waits(field) for field in form.fields)
        ):
            return checked
        return await self._core.handle(actor, command)

    async def _task(self, context: TurnContext, actor: Actor, reply: Reply) -> None:
        """Answer a message action's invoke: the form in a dialog, or what happened."""
        form = reply.form
        if form is not None:
            card = form_card(form, await self._core.park_form(actor, form))
            task = {"type": "continue", "value": {"title": form.title, "card": attachment(card)}}
        else:
            text = "\n".join(block.text for block in reply.blocks if isinstance(block, Paragraph))
            shown = reply.headline + ("\n" + text if text else "")
            names = await self._names(context, actor, reply)
            task = {"type": "message", "value": plain_text(shown, names)}
        await _invoke_response(context, {"task": task})

    async def _answer(
        self, context: TurnContext, actor: Actor, reply: Reply, *, replace: str | None
    ) -> None:
        form = reply.form
        if form is not None:
            parked = await self._core.park_form(actor, form)
            message = card_activity(form_card(form, parked), reply.headline)
        else:
            names = await self._names(context, actor, reply)
            message = await reply_activity(self._core.buttons, reply, actor, names)
        conversation = context.activity.conversation
        if conversation is not None and conversation.conversation_type == PERSONAL:
            if replace:
                message.id = replace
                await context.update_activity(message)
            else:
                await context.send_activity(message)
            return
        t = self._core.translator(actor.locale)
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
        assert activity.service_url
        async with self._connector.client(activity.service_url) as client:
            created = await client.conversations.create_conversation(_private_chat(activity))
            await client.conversations.send_to_conversation(created.id, message)

    async def _private_chat_kept(self, context: TurnContext, person: Actor) -> bool:
        """Whether the bot can write to the person (who sent the activity) on its own: their
        one-to-one chat is kept, or is opened now and kept. False when Teams will not open
        it."""
        activity = context.activity
        conversation = activity.conversation
        if conversation is not None and conversation.conversation_type == PERSONAL:
            return True  # kept on the way in
        assert activity.service_url
        try:
            async with self._connector.client(activity.service_url) as client:
                created = await client.conversations.create_conversation(_private_chat(activity))
        except DeliveryError as error:
            log.warning("could not open %s's private chat: %s", person.user_id, error.reason)
            return False
        reference = activity.get_conversation_reference().model_dump(
            by_alias=True, exclude_none=True, mode="json"
        )
        reference.pop("activityId", None)
        tenant = (tenant_of(activity) or "").removeprefix(f"{PLATFORM}:")
        reference["conversation"] = {
            "id": created.id,
            "conversationType": PERSONAL,
            "tenantId": tenant,
        }
        kept = {"reference": reference, "kind": PERSONAL, "shared": False}
        address = person_address(person.user_id)
        await remember_conversation(self._core.services, person.tenant_id, address, kept)
        return True

    async def _names(self, context: TurnContext, actor: Actor, reply: Reply) -> dict[str, str]:
        """The names of the people the reply mentions, looked up in this conversation."""
        activity = context.activity
        assert activity.conversation is not None
        return await self._directory.names.of(
            actor.tenant_id,
            people_in(reply),
            service_url=activity.service_url or "",
            conversation_id=activity.conversation.id,
        )

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


def route_of(activity: Activity) -> Route:
    """The activity's key in the routes: its type, and what it is (a message's kind, an
    invoke's name) or ``ANY``."""
    if activity.type == ActivityTypes.message:
        value = _value(activity)
        if _overheard(activity):
            return activity.type, OVERHEARD
        if BUTTON_DATA in value:
            return activity.type, BUTTON
        if FORM_DATA in value:
            return activity.type, FORM
        return activity.type, SET_UP if _says_set_up(activity) else COMMAND
    if activity.type == ActivityTypes.invoke:
        return activity.type, activity.name or ANY
    return activity.type, ANY


def _says_set_up(activity: Activity) -> bool:
    """Whether the message is ``set up`` (the bot's mention aside), in any case."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for mentioned in activity.get_mentions():
        if mentioned.mentioned and mentioned.mentioned.id == bot_id:
            text = text.replace(mentioned.text or "", "")
    return " ".join(text.split()).lower() in SET_UP_WORDS


def _private_chat(activity: Activity) -> ConversationParameters:
    """What opens the bot's one-to-one chat with the activity's sender."""
    sender = activity.from_property
    assert sender is not None
    return ConversationParameters(
        is_group=False,
        agent=activity.recipient,
        members=[ChannelAccount(id=sender.id)],
        tenant_id=(tenant_of(activity) or "").removeprefix(f"{PLATFORM}:"),
    )


def _overheard(activity: Activity) -> bool:
    """A channel message not addressed to the bot: listened to, not a command."""
    if channel_of(activity) is None:
        return False
    bot_id = activity.recipient.id if activity.recipient else None
    mentioned = any(mention.mentioned.id == bot_id for mention in activity.get_mentions())
    return not mentioned and not isinstance(activity.value, dict)


def _value(activity: Activity) -> dict[str, Any]:
    """What a card or a message action sent (a button's data, a form's inputs)."""
    return activity.value if isinstance(activity.value, dict) else {}


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
