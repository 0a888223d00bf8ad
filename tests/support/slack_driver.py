"""Sends requests to the running app exactly as Slack sends them: form-encoded and signed."""

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.settings import Settings
from tests.support.block_kit_rules import view_problems
from tests.support.fake_slack import FakeSlack
from tests.support.secrets_key import SECRETS_KEY

SIGNING_SECRET = "test-signing-secret"


def slack_settings(database_url: str, fake: FakeSlack) -> Settings:
    """The app on one workspace's token, against ``fake``; the outbox sends at once and retries
    quickly, so tests wait for it briefly."""
    return Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url + "api/",
        outbox_poll_seconds=0.05,
        outbox_retry_seconds=0.05,
        scheduler_tick_seconds=0.2,
        secrets_key=SECRETS_KEY,
    )


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's v0 signature of a request body."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Answer:
    """The app's HTTP answer."""

    status: int
    text: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass
class SlackDriver:
    """Plays Slack's part against the app at ``url``."""

    url: str
    fake: FakeSlack

    async def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """POST a body to /slack/events, signed unless told otherwise."""
        stamp = timestamp or str(int(time.time()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or sign(SIGNING_SECRET, stamp, body),
            **(headers or {}),
        }
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{self.url}slack/events", data=body.encode(), headers=sent) as response,
        ):
            return Answer(response.status, await response.text())

    async def post_command_in(
        self, channel: str, command: str, text: str, *, user: str = "UANA"
    ) -> Answer:
        """A slash command typed in ``channel``."""
        return await self.command(command, text, user=user, channel=channel)

    async def command(
        self, command: str, text: str = "", *, user: str = "UANA", channel: str = "C1"
    ) -> Answer:
        """A slash command."""
        body = urlencode(
            {
                "token": "legacy",
                "team_id": self.fake.team_id,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "support",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A1",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(),
                "trigger_id": f"{uuid.uuid4().hex}.trigger",
            }
        )
        return await self.post(body)

    async def interact(self, payload: dict[str, Any]) -> Answer:
        """An interactivity payload (buttons, modals, shortcuts, type-ahead)."""
        base = {
            "api_app_id": "A1",
            "team": {"id": self.fake.team_id, "domain": "test"},
            "token": "legacy",
            "trigger_id": f"{uuid.uuid4().hex}.trigger",
            "is_enterprise_install": False,
        }
        return await self.post(urlencode({"payload": json.dumps({**base, **payload})}))

    async def type_ahead(self, typed: str, *, user: str = "UANA") -> list[dict[str, Any]]:
        """What the client picker offers for ``typed`` (a block_suggestion request)."""
        answer = await self.interact(
            {
                "type": "block_suggestion",
                "user": {"id": user, "team_id": self.fake.team_id},
                "action_id": "client",
                "block_id": "client",
                "value": typed,
                "view": {"id": "V1", "type": "modal", "callback_id": "yc_form"},
            }
        )
        return list(answer.json()["options"])

    async def click(
        self,
        value: str,
        *,
        user: str = "UANA",
        view: dict[str, Any] | None = None,
        message: tuple[str, str] | None = None,
    ) -> Answer:
        """Click a button whose value is ``value`` in an ephemeral message, in ``view``, or in
        the bot's ``message`` (its channel and ts, like a manager's direct message)."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.fake.team_id},
            "actions": [
                {
                    "type": "button",
                    "action_id": "yc_button:0",
                    "block_id": "b",
                    "value": value,
                    "action_ts": "1",
                }
            ],
        }
        if message is not None:
            channel, ts = message
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": ts,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel}
            payload["message"] = {"ts": ts, "type": "message"}
            payload["response_url"] = self.fake.response_url()
        elif view is None:
            payload["container"] = {"type": "message", "is_ephemeral": True}
            payload["response_url"] = self.fake.response_url()
        else:
            payload["container"] = {"type": "view", "view_id": view["id"]}
            payload["view"] = view
        return await self.interact(payload)

    async def choose(
        self,
        view: dict[str, Any],
        field: str,
        value: str,
        *,
        user: str = "UANA",
        view_id: str = "V1",
    ) -> Answer:
        """Pick ``value`` in the select of the modal's block ``field``, as Slack reports a
        change of a select that dispatches actions (its block_actions)."""
        [block] = [block for block in view["blocks"] if block.get("block_id") == field]
        assert block.get("dispatch_action") is True, f"{field} does not dispatch actions"
        action = {
            **picked(value),
            "action_id": block["element"]["action_id"],
            "block_id": field,
            "action_ts": "1",
        }
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.fake.team_id},
            "container": {"type": "view", "view_id": view_id},
            "view": {
                "id": view_id,
                "team_id": self.fake.team_id,
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view.get("private_metadata", ""),
                "state": {"values": {field: {action["action_id"]: picked(value)}}},
                "hash": "1.a",
            },
            "actions": [action],
        }
        return await self.interact(payload)

    async def submit(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        user: str = "UANA",
        view_id: str | None = None,
    ) -> Answer:
        """Submit a modal the bot opened, with ``values`` as Slack's ``state.values``."""
        payload = {
            "type": "view_submission",
            "user": {"id": user, "team_id": self.fake.team_id},
            "view": {
                "id": view_id or view.get("id", "V1"),
                "team_id": self.fake.team_id,
                "app_installed_team_id": self.fake.team_id,
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view.get("private_metadata", ""),
                "state": {"values": values},
                "hash": "1.a",
            },
        }
        answer = await self.interact(payload)
        if answer.text and answer.json().get("response_action") == "update":
            # Slack would reject an invalid view here, leaving the person's form stuck.
            assert view_problems(answer.json()["view"]) == []
        return answer

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int = 0,
        envelope_team: str | None = None,
    ) -> Answer:
        """An Events API delivery (``retry`` > 0 marks Slack's redelivery). In a Slack Connect
        channel the envelope can name the other organisation's team (``envelope_team``); its
        authorization is always this workspace's installation."""
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": envelope_team or self.fake.team_id,
                "api_app_id": "A1",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or "Ev" + uuid.uuid4().hex[:8],
                "event_time": int(time.time()),
                "authorizations": [
                    {
                        "team_id": self.fake.team_id,
                        "user_id": "UBOT",
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
            }
        )
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return await self.post(body, content_type="application/json", headers=headers)


def text_input(value: str) -> dict[str, Any]:
    """A plain-text field's submitted state."""
    return {"type": "plain_text_input", "value": value}


def picked(value: str, kind: str = "static_select") -> dict[str, Any]:
    """A select's submitted state."""
    return {
        "type": kind,
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def block_texts(blocks: list[dict[str, Any]]) -> str:
    """Every text of Block Kit ``blocks`` (section texts and fields, headers), one per line."""
    found = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            found.append(block["text"]["text"])
        for field in block.get("fields", []):
            found.append(field["text"])
    return "\n".join(found)


def block_buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """Each button's label and its value, as ``SlackDriver.click`` takes it."""
    return {
        element["text"]["text"]: element["value"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def quick_report(slack: SlackDriver, text: str, *, user: str = "UANA") -> dict[str, Any]:
    """Run /report-client; when the client is new, press "Create"; the final ephemeral reply."""
    before = len(slack.fake.made("respond"))
    assert (await slack.command("/report-client", text, user=user)).status == 200
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    buttons = block_buttons(reply.args["blocks"])
    create = next((value for label, value in buttons.items() if label.startswith("Create")), None)
    if create is None:
        return reply.args
    await slack.click(create, user=user)
    [*_, created] = await slack.fake.wait_for("respond", before + 2)
    return created.args


async def exported(slack: SlackDriver, client: str, *, user: str = "UMARIA") -> dict[str, Any]:
    """Run ``/client export <client>`` as ``user`` and wait for the file the outbox uploads;
    the upload's calls and bytes: ``getUploadURLExternal``/``completeUploadExternal``'s
    arguments, and the file's JSON as ``export``."""
    before = len(slack.fake.made("files.completeUploadExternal"))
    assert (await slack.command("/client", f"export {client}", user=user)).status == 200
    [*_, completed] = await slack.fake.wait_for("files.completeUploadExternal", before + 1)
    [*_, asked] = slack.fake.made("files.getUploadURLExternal")
    [uploaded] = json.loads(str(completed.args["files"]))
    return {
        "asked": asked.args,
        "completed": completed.args,
        "export": json.loads(slack.fake.uploads[uploaded["id"]].decode("utf-8")),
    }
