"""A fake Bot Connector: a real aiohttp server on loopback that records what the bot sent.

Activities' ``serviceUrl`` points here. It answers the calls the Agents SDK and Yellowcard's
connector make (replies, sends, updates, new one-to-one chats, member lookups by Teams id or by
Entra object id), checks every Adaptive Card against the 1.5 schema when ``../shared/fixtures``
is there, and can answer sends with 429 a number of times first. It also plays the OneDrive
upload session a person's Allow on a file consent card opens (``upload_url``), keeping what is
put there.
"""

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
from aiohttp import web
from aiohttp.test_utils import TestServer

CARD_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "adaptive_card.schema.json"
)
CARD = "application/vnd.microsoft.card.adaptive"
T = TypeVar("T")
# Teams refuses a message over about 28 KB.
MESSAGE_LIMIT = 28_000


@dataclass
class Sent:
    """One activity the bot sent, where, and its id."""

    kind: str  # reply, send, update
    conversation_id: str
    activity_id: str
    activity: dict[str, Any]

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards it carries."""
        return [
            item["content"]
            for item in self.activity.get("attachments") or []
            if item.get("contentType") == CARD
        ]


@dataclass
class Upload:
    """What the bot put into an upload session, with the headers it sent."""

    content: bytes
    headers: dict[str, str]


@dataclass
class FakeConnector:
    """The fake's state: members, conversations and everything sent."""

    url: str = ""
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    rate_limited: Counter[str] = field(default_factory=Counter)
    # Sends to a conversation answered 500 this many times first (a Teams outage, retried).
    failing: Counter[str] = field(default_factory=Counter)
    # Upload sessions: their name → what was put there.
    uploads: dict[str, Upload] = field(default_factory=dict)
    _ids: "itertools.count[int]" = field(default_factory=lambda: itertools.count(1000))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def add_member(self, member_id: str, **facts: Any) -> None:
        """A person Teams knows (``userRole``: ``user`` or ``guest``; ``tenantId``)."""
        self.members[member_id] = {"id": member_id, "userRole": "user", **facts}

    def upload_url(self, name: str) -> str:
        """An upload session's address, as Teams hands it out when a person allows a file."""
        return f"{self.url}upload/{name}"

    async def wait_for_upload(self, name: str, *, within: float = 10) -> Upload:
        """Wait until something was put into the upload session ``name``; return it."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: name in self.uploads)
        return self.uploads[name]

    def in_conversation(self, conversation_id: str) -> list[Sent]:
        """What was sent to (or updated in) one conversation (or any thread of a channel),
        in order."""
        return [item for item in self.sent if item.conversation_id.split(";")[0] == conversation_id]

    def latest(self, conversation_id: str, activity_id: str) -> dict[str, Any]:
        """An activity as it is now, after its updates."""
        versions = [
            item.activity
            for item in self.sent
            if item.conversation_id == conversation_id and item.activity_id == activity_id
        ]
        return versions[-1]

    async def wait_for(
        self,
        count: int,
        *,
        kind: str | None = None,
        conversation: str | None = None,
        within: float = 10,
    ) -> list[Sent]:
        """Wait until ``count`` activities (of ``kind``, to ``conversation``) were sent; return
        them."""

        def matching() -> list[Sent]:
            return [
                item
                for item in self.sent
                if (kind is None or item.kind == kind)
                and (conversation is None or item.conversation_id.split(";")[0] == conversation)
            ]

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()

    async def wait_until(self, found: Callable[[], T | None], *, within: float = 10) -> T:
        """Wait until ``found`` returns something (it is asked after every send), and return it."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: found() is not None)
        result = found()
        assert result is not None
        return result

    async def _record(
        self, kind: str, conversation_id: str, activity_id: str, body: dict[str, Any]
    ) -> None:
        for card in Sent(kind, conversation_id, activity_id, body).cards:
            self.invalid += card_problems(card)
        async with self._changed:
            self.sent.append(Sent(kind, conversation_id, activity_id, body))
            self._changed.notify_all()

    async def send(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        if self.rate_limited[conversation] > 0:
            self.rate_limited[conversation] -= 1
            return web.json_response(
                {"error": {"code": "TooManyRequests"}}, status=429, headers={"Retry-After": "1"}
            )
        if self.failing[conversation] > 0:
            self.failing[conversation] -= 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        if request.content_length and request.content_length > MESSAGE_LIMIT:
            return web.json_response({"error": {"code": "MessageSizeTooBig"}}, status=413)
        activity_id = str(next(self._ids))
        kind = "reply" if "activity" in request.match_info else "send"
        await self._record(kind, conversation, activity_id, await request.json())
        return web.json_response({"id": activity_id})

    async def update(self, request: web.Request) -> web.Response:
        conversation, activity_id = (
            request.match_info["conversation"],
            request.match_info["activity"],
        )
        await self._record("update", conversation, activity_id, await request.json())
        return web.json_response({"id": activity_id})

    async def upload(self, request: web.Request) -> web.Response:
        """An upload session: keeps the bytes and headers, and answers as OneDrive does once
        the last range arrives (201, the drive item)."""
        name = request.match_info["name"]
        content = await request.read()
        async with self._changed:
            self.uploads[name] = Upload(content, dict(request.headers))
            self._changed.notify_all()
        return web.json_response({"id": name, "name": name, "size": len(content)}, status=201)

    async def create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.created.append(body)
        member = (body.get("members") or [{}])[0].get("id", "")
        return web.json_response({"id": f"a:personal-{member}"})

    async def member(self, request: web.Request) -> web.Response:
        wanted = request.match_info["member"]
        found = self.members.get(wanted) or next(
            (member for member in self.members.values() if member.get("aadObjectId") == wanted),
            None,
        )
        if found is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(found)


def card_problems(card: dict[str, Any]) -> list[str]:
    """What the Adaptive Card 1.5 schema finds wrong with ``card`` (nothing without the
    fixtures). The card's ``msteams`` (its mentions) is Teams' extension, which the schema does
    not know: it is checked as Teams documents it instead."""
    if not CARD_SCHEMA.exists():
        return []
    schema = json.loads(CARD_SCHEMA.read_text())
    validator = jsonschema.Draft6Validator(schema)
    teams = card.get("msteams")
    standard = {key: value for key, value in card.items() if key != "msteams"}
    problems = [
        f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(standard)
    ]
    return problems + ([] if teams is None else mention_problems(card, teams))


def mention_problems(card: dict[str, Any], teams: Any) -> list[str]:
    """What is wrong with a card's mentions: each entity is a ``mention`` whose ``text`` is
    ``<at>…</at>`` found in one of the card's texts, naming someone by id and name."""
    if not isinstance(teams, dict) or set(teams) != {"entities"}:
        return [f"msteams: {teams!r} holds more than mention entities"]
    texts = json.dumps(card["body"], ensure_ascii=False)
    problems = []
    for entity in teams["entities"]:
        shown = str(entity.get("text", ""))
        mentioned = entity.get("mentioned") or {}
        if (
            entity.get("type") != "mention"
            or not (shown.startswith("<at>") and shown.endswith("</at>"))
            or json.dumps(shown, ensure_ascii=False)[1:-1] not in texts
            or not mentioned.get("id")
            or not mentioned.get("name")
        ):
            problems.append(f"msteams.entities: {entity!r} is not a mention the card shows")
    return problems


@asynccontextmanager
async def running_fake_connector() -> AsyncIterator[FakeConnector]:
    """Start the fake on a free loopback port."""
    fake = FakeConnector()
    app = web.Application()
    app.router.add_post("/v3/conversations", fake.create)
    app.router.add_post("/v3/conversations/{conversation}/activities", fake.send)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", fake.send)
    app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", fake.update)
    app.router.add_get("/v3/conversations/{conversation}/members/{member}", fake.member)
    app.router.add_put("/upload/{name}", fake.upload)
    async with TestServer(app) as server:
        fake.url = str(server.make_url("/"))
        yield fake
