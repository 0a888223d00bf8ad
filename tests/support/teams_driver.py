"""Sends activities to the running app shaped as Teams sends them (see
../shared/fixtures/teams_message_activity.json), with ``serviceUrl`` on the fake connector."""

import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import aiohttp

from bot.settings import Settings
from skills.core.context import Clock, system_clock
from tests.support.fake_connector import FakeConnector, Sent
from tests.support.secrets_key import SECRETS_KEY

BOT = {"id": "28:yellowcard-bot", "name": "Yellowcard"}


def teams_settings(database_url: str, **changes: object) -> Settings:
    """The app in Teams' anonymous local mode (no JWT check, for the fake connector); the
    outbox sends at once and retries quickly, so tests wait for it briefly. ``changes`` sets
    other settings."""
    return Settings(
        database_url=database_url,
        teams_allow_anonymous=True,
        outbox_poll_seconds=0.05,
        outbox_retry_seconds=0.05,
        scheduler_tick_seconds=0.2,
        secrets_key=SECRETS_KEY,
        **changes,  # type: ignore[arg-type]
    )


@dataclass
class TeamsAnswer:
    """The app's HTTP answer."""

    status: int
    text: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass
class TeamsDriver:
    """Plays Teams' part against the app at ``url``, for one tenant. Activities are stamped
    with ``clock``: the app's own, so that "this week" is the week the test runs in."""

    url: str
    connector: FakeConnector
    tenant: str = field(default_factory=lambda: str(uuid.uuid4()))
    clock: Clock = system_clock
    _ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1))

    def person(self, member_id: str, **facts: Any) -> None:
        """Someone of this tenant Teams knows ("29:ana" is Ana, Entra id ``entra_id("29:ana")``)."""
        known = {
            "aadObjectId": entra_id(member_id),
            "tenantId": self.tenant,
            "name": _name(member_id),
        }
        self.connector.add_member(member_id, **{**known, **facts})

    def activity(
        self,
        user: str = "29:ana",
        *,
        kind: str = "message",
        channel: str | None = None,
        channel_type: str = "standard",
        group_chat: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """An activity from ``user`` in their one-to-one chat, in a thread of ``channel`` (a
        ``shared`` one with ``channel_type``), or in ``group_chat``."""
        channel_data: dict[str, Any] = {"tenant": {"id": self.tenant}}
        if channel:
            thread = f"{channel};messageid={next(self._ids)}"
            conversation = {"id": thread, "conversationType": "channel", "tenantId": self.tenant}
            channel_data["channel"] = {"id": channel, "type": channel_type}
        elif group_chat:
            conversation = {
                "id": group_chat,
                "conversationType": "groupChat",
                "tenantId": self.tenant,
            }
        else:
            conversation = {
                "id": personal_chat(user),
                "conversationType": "personal",
                "tenantId": self.tenant,
            }
        return {
            "type": kind,
            "id": str(next(self._ids)),
            "timestamp": self.clock().astimezone(UTC).isoformat(timespec="milliseconds"),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": user, "name": _name(user), "aadObjectId": entra_id(user)},
            "conversation": conversation,
            "recipient": BOT,
            "locale": "en-US",
            "channelData": channel_data,
            **fields,
        }

    async def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> TeamsAnswer:
        """POST an activity to /api/messages."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{self.url}api/messages", json=activity, headers=headers or {}) as response,
        ):
            return TeamsAnswer(response.status, await response.text())

    async def install(self, user: str = "29:maria", *, welcomed: bool = True) -> Sent | None:
        """The app added by ``user``: the bot joins their one-to-one chat. Unless told the
        installer is not ``welcomed`` (a guest, a worker switched off), waits for the welcome
        the outbox sends there, so that it is not taken for an answer later; returns it."""
        before = len(self.private_answers(user))
        answer = await self.post(self.activity(user, kind="conversationUpdate", membersAdded=[BOT]))
        assert answer.status in {200, 201, 202}, answer.text
        if not welcomed:
            return None
        await self.connector.wait_for(before + 1, conversation=personal_chat(user))
        return self.private_answers(user)[before]

    async def say(
        self, text: str, user: str = "29:ana", *, channel: str | None = None, **where: Any
    ) -> Sent:
        """A message; the bot's answer (in the person's one-to-one chat)."""
        # Counted in that chat only: the worker may be sending to someone else meanwhile.
        before = len(self.private_answers(user))
        activity = self.activity(user, channel=channel, text=text, **where)
        if channel or where.get("group_chat"):
            activity["text"] = f"<at>Yellowcard</at> {text}"
            activity["entities"] = [
                {"type": "mention", "mentioned": BOT, "text": "<at>Yellowcard</at>"}
            ]
        answer = await self.post(activity)
        assert answer.status in {200, 201, 202}, answer.text
        await self.connector.wait_for(before + 1, conversation=personal_chat(user))
        return self.private_answers(user)[-1]

    async def submit(self, card_message: Sent, data: dict[str, Any], user: str = "29:ana") -> Sent:
        """Press a card's button (or submit its form) with ``data`` (the action's data and the
        inputs); the bot's answer: the card updated in place."""
        before = len(self.connector.sent)
        activity = self.activity(user, value=data, replyToId=card_message.activity_id)
        answer = await self.post(activity)
        assert answer.status in {200, 201, 202}, answer.text
        await self.connector.wait_for(before + 1)
        return self.connector.sent[-1]

    async def invoke(self, name: str, value: dict[str, Any], user: str = "29:ana") -> TeamsAnswer:
        """An invoke (a message action's fetchTask or submitAction); its synchronous answer."""
        return await self.post(self.activity(user, kind="invoke", name=name, value=value))

    def private_answers(self, user: str) -> list[Sent]:
        """What the bot sent to ``user``'s one-to-one chat."""
        return self.connector.in_conversation(personal_chat(user))


def personal_chat(user: str) -> str:
    """The id of the bot's one-to-one chat with ``user``."""
    return f"a:personal-{user}"


def entra_id(member_id: str) -> str:
    """The Microsoft Entra object id (a GUID) of the person whose Teams id is ``member_id``:
    the id Yellowcard knows them by."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"entra:{member_id}"))


def _name(member_id: str) -> str:
    return member_id.split(":", 1)[-1].title()


def card_texts(card: dict[str, Any]) -> str:
    """Every text of a card, facts included, one per line."""
    found: list[str] = []

    def walk(element: Any) -> None:
        if isinstance(element, dict):
            for key in ("text", "title", "value", "label", "placeholder"):
                if isinstance(element.get(key), str):
                    found.append(element[key])
            for child in element.values():
                walk(child)
        elif isinstance(element, list):
            for child in element:
                walk(child)

    walk(card)
    return "\n".join(found)


def card_buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each button's title and its data."""
    buttons: dict[str, dict[str, Any]] = {}
    for element in card.get("body", []):
        for action in element.get("actions", []) if element.get("type") == "ActionSet" else []:
            buttons[action["title"]] = action["data"]
    return buttons


async def answer_with(
    teams: TeamsDriver, text: str, marker: str, *, user: str, **fields: Any
) -> Sent:
    """Say ``text`` as ``user``; the first card in their chat, from then on, that shows
    ``marker`` (a manager's ping may arrive there meanwhile)."""
    before = len(teams.private_answers(user))
    answer = await teams.post(teams.activity(user, text=text, **fields))
    assert answer.status in {200, 201, 202}, answer.text

    def found() -> Sent | None:
        return next(
            (
                sent
                for sent in teams.private_answers(user)[before:]
                if any(marker in card_texts(card) for card in sent.cards)
            ),
            None,
        )

    return await teams.connector.wait_until(found)


async def filed(teams: TeamsDriver, text: str) -> int:
    """Ana's report (the client created if it is new); its id."""
    unknown = await teams.say(f"report-client {text}")
    create = next(
        (data for label, data in card_buttons(unknown.cards[0]).items() if "Create" in label),
        None,
    )
    card = (await teams.submit(unknown, create)).cards[0] if create else unknown.cards[0]
    assert "Report filed about" in card_texts(card)
    [report] = re.findall(r"#(\d+)", card_texts(card))
    return int(report)
