"""A fake Slack Web API: a real aiohttp server on loopback that records every call.

It answers like Slack for the methods Yellowcard uses, and can be told to answer a method with
429 (rate limited) a number of times first.
"""

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from tests.support.block_kit_rules import MESSAGE_BLOCKS, problems, view_problems


@dataclass
class Call:
    """One request the bot made."""

    method: str
    args: dict[str, Any]
    # For ``respond``: the response_url's path, which names the request it answers.
    path: str = ""


@dataclass
class FakeSlack:
    """The fake's state: the workspace, its people, and every call received."""

    team_id: str = field(default_factory=lambda: "T" + uuid.uuid4().hex[:8].upper())
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    rate_limited: Counter[str] = field(default_factory=Counter)
    failing: Counter[str] = field(default_factory=Counter)
    stalled: set[str] = field(default_factory=set)
    # Methods answered only after this many seconds (a slow Slack).
    delays: dict[str, float] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The messages the bot posted, as they are now: (channel, ts) → the last arguments.
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    url: str = ""
    socket: web.WebSocketResponse | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def add_user(self, user_id: str, **facts: Any) -> None:
        """A person of this workspace (``is_admin``, ``is_restricted``, ``team_id``, ``locale``…);
        "UANA" is called Ana."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": user_id.lower(),
            "real_name": user_id[1:].title(),
            "profile": {"display_name": user_id[1:].title()},
            "locale": "en-US",
            **facts,
        }

    def add_channel(self, channel_id: str, **facts: Any) -> None:
        """A conversation (``is_ext_shared=True`` makes it a Slack Connect channel)."""
        self.channels[channel_id] = {"id": channel_id, "is_channel": True, **facts}

    def response_url(self) -> str:
        """A response_url that records what is posted to it as method ``respond``."""
        return f"{self.url}respond/{uuid.uuid4().hex}"

    def made(self, method: str) -> list[Call]:
        """The calls made to ``method`` so far."""
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, *, within: float = 10) -> list[Call]:
        """Wait until ``method`` was called ``count`` times (the bot's slow work runs after its
        acknowledgement), then return those calls; fail after ``within`` seconds."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.made(method)) >= count)
        return self.made(method)

    async def wait_for_answers(self, paths: Iterable[str], *, within: float = 30) -> None:
        """Wait until something was posted to each response_url path in ``paths``."""
        wanted = set(paths)
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(
                lambda: wanted <= {call.path for call in self.made("respond")}
            )

    async def _record(self, method: str, args: dict[str, Any], path: str = "") -> None:
        async with self._changed:
            self.calls.append(Call(method, args, path))
            self._changed.notify_all()

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        args["_authorization"] = request.headers.get("Authorization")
        if self.rate_limited[method] > 0:
            self.rate_limited[method] -= 1
            await self._record(f"{method}:429", args)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if self.failing[method] > 0:
            self.failing[method] -= 1
            await self._record(f"{method}:500", args)
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        await asyncio.sleep(self.delays.get(method, 0))
        if method in self.stalled:
            # Never answers: the bot is killed while it waits (a crash between commit and send).
            await self._record(f"{method}:stalled", args)
            await asyncio.Event().wait()
        blocks = args.get("blocks")
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        if method in {"chat.postMessage", "chat.update"}:
            invalid_blocks = problems(blocks or [], limit=MESSAGE_BLOCKS)
            if invalid_blocks:
                await self._record(f"{method}:invalid", {"problems": invalid_blocks, **args})
                return web.json_response({"ok": False, "error": "invalid_blocks"})
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        invalid = view_problems(view) if isinstance(view, dict) else []
        if invalid:
            await self._record(f"{method}:invalid", {"problems": invalid, **args})
            return web.json_response(
                {"ok": False, "error": "invalid_arguments", "problems": invalid}
            )
        await self._record(method, args)
        return web.json_response(self._answer(method, args))

    async def upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: keeps the bytes."""
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        await self._record("upload", {"file_id": file_id, "size": len(self.uploads[file_id])})
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    def posted_to(self, channel: str) -> list[dict[str, Any]]:
        """What the bot posted to ``channel`` (a person's id means their DM), oldest first."""
        dm = "D" + channel[1:] if channel[:1] in {"U", "W"} else channel
        return [args for (where, _ts), args in self.messages.items() if where == dm]

    async def socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode's WebSocket: says hello, then records what the app sends back."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.socket = socket
        await self._record("socket.connected", {})
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self._record("socket.ack", json.loads(message.data))
        return socket

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Deliver a request over Socket Mode; the envelope id the ack will carry."""
        assert self.socket is not None, "the app has not connected over Socket Mode"
        envelope_id = uuid.uuid4().hex
        await self.socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
            }
        )
        return envelope_id

    async def respond(self, request: web.Request) -> web.Response:
        message = await request.json()
        invalid = problems(message.get("blocks", []), limit=MESSAGE_BLOCKS)
        if invalid:
            await self._record("respond:invalid", {"problems": invalid, **message})
            return web.Response(status=400, text="invalid_blocks")
        await self._record("respond", message, request.path)
        return web.Response(text="ok")

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": self.team_id,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team": "Test",
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "socket"}
        if method == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "A1",
                "authed_user": {"id": "UMARIA"},
                "scope": "commands,users:read",
                "token_type": "bot",
                "access_token": "xoxb-installed",
                "bot_user_id": "UBOT",
                "team": {"id": self.team_id, "name": "Test"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in {"views.open", "views.update", "views.publish", "views.push"}:
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V" + uuid.uuid4().hex[:8], **(view or {})}}
        if method == "chat.postMessage":
            channel = str(args.get("channel"))
            if channel[:1] in {"U", "W"}:
                channel = "D" + channel[1:]  # the app's direct message with that person
            elif channel not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            ts = f"{1700000000 + len(self.messages)}.000100"
            self.messages[(channel, ts)] = args
            return {"ok": True, "channel": channel, "ts": ts}
        if method == "chat.update":
            key = (str(args.get("channel")), str(args.get("ts")))
            if key not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            self.messages[key] = args
            return {"ok": True, "channel": key[0], "ts": key[1]}
        if method == "users.list":
            return {"ok": True, "members": list(self.users.values())}
        if method == "conversations.members":
            channel = self.channels.get(str(args.get("channel"))) or {}
            return {"ok": True, "members": list(channel.get("members", []))}
        if method == "conversations.info":
            channel = self.channels.get(str(args.get("channel")))
            return (
                {"ok": True, "channel": channel}
                if channel
                else {"ok": False, "error": "channel_not_found"}
            )
        if method == "files.getUploadURLExternal":
            file_id = "F" + uuid.uuid4().hex[:8].upper()
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(str(args.get("files")))
            return {
                "ok": True,
                "files": [{"id": item["id"], "title": item.get("title")} for item in files],
            }
        if method == "chat.getPermalink":
            message = str(args.get("message_ts")).replace(".", "")
            link = f"https://test.slack.com/archives/{args.get('channel')}/p{message}"
            return {"ok": True, "permalink": link}
        return {"ok": True}


async def _arguments(request: web.Request) -> dict[str, Any]:
    # slack_sdk sends some methods' arguments in the query string (files.*), others in the body.
    query = dict(request.query)
    if request.method == "GET":
        return query
    if request.content_type == "application/json":
        return {**query, **dict(await request.json())}
    form = parse_qs(await request.text())
    return {**query, **{key: values[0] for key, values in form.items()}}


@asynccontextmanager
async def running_fake_slack() -> AsyncIterator[FakeSlack]:
    """Start the fake on a free loopback port."""
    fake = FakeSlack()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", fake.handle)
    app.router.add_post("/respond/{id}", fake.respond)
    app.router.add_post("/upload/{file_id}", fake.upload)
    app.router.add_get("/socket", fake.socket_mode)
    async with TestServer(app) as server:
        fake.url = str(server.make_url("/"))
        yield fake
