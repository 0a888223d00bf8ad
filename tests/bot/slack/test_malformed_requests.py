"""Signed but malformed Slack requests: a 400 naming what is wrong, and nothing else happens.

Each body below is signed as Slack signs it, so only its shape is wrong. None may answer 500,
reach the Web API, or be acknowledged and then fail in the background.
"""

import asyncio
import json
import logging
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.support.slack_driver import SlackDriver

# In every body; the log must never show it.
MARKER = "legacy-do-not-log"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
DROP = object()  # a field left out


def _without(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not DROP}


def _command(**changes: Any) -> str:
    fields = {
        "token": MARKER,
        "team_id": "T1",
        "channel_id": "C1",
        "user_id": "UANA",
        "command": "/client",
        "text": "help",
        "response_url": "http://127.0.0.1:9/respond/x",
        "trigger_id": "1.2.trigger",
    }
    return urlencode(_without({**fields, **changes}))


def _payload(kind: str | None, **changes: Any) -> str:
    fields: dict[str, Any] = {
        "type": kind,
        "token": MARKER,
        "api_app_id": "A1",
        "team": {"id": "T1", "domain": "test"},
        "user": {"id": "UANA", "team_id": "T1"},
        "trigger_id": "1.2.trigger",
        "is_enterprise_install": False,
    }
    if kind is None:
        del fields["type"]
    return urlencode({"payload": json.dumps(_without({**fields, **changes}))})


def _button(**changes: Any) -> str:
    action = {"type": "button", "action_id": "yc_button:0", "block_id": "b", "value": "x.y"}
    fields: dict[str, Any] = {
        "actions": [action],
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": "http://127.0.0.1:9/respond/x",
    }
    return _payload("block_actions", **{**fields, **changes})


VIEW = {
    "id": "V1",
    "type": "modal",
    "callback_id": "yc_form",
    "private_metadata": "",
    "state": {"values": {}},
}


def _submission(**view_changes: Any) -> str:
    return _payload("view_submission", view=_without({**VIEW, **view_changes}))


def _submitted(action: dict[str, Any]) -> str:
    return _submission(state={"values": {"field": {"field": action}}})


def _choice_changed(view: Any = VIEW, **action_changes: Any) -> str:
    """A select that dispatches actions, changed in a modal (the report's category)."""
    action = {
        "type": "static_select",
        "action_id": "yc_field:category",
        "block_id": "category",
        "selected_option": {"value": "non_payment"},
        **action_changes,
    }
    return _payload("block_actions", actions=[_without(action)], view=view)


def _shortcut(**changes: Any) -> str:
    fields = {
        "callback_id": "yc_report_from_message",
        "channel": {"id": "C1"},
        "message": {"type": "message", "user": "UCLIENT", "ts": "1764000000.000100"},
    }
    return _payload("message_action", **{**fields, **changes})


def _envelope(event: Any = DROP, **changes: Any) -> str:
    fields = {
        "token": MARKER,
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event": event,
        "event_id": "Ev" + uuid.uuid4().hex[:8],
        "event_time": 1764000000,
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }
    return json.dumps(_without({**fields, **changes}))


def _message(**changes: Any) -> str:
    event = {"type": "message", "user": "UCLIENT", "channel": "C1", "ts": "1764000000.000100"}
    return _envelope({**event, "text": "hello", **changes})


def _nested(depth: int) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "message", "subtype": "message_changed"}
    inner = event
    for _ in range(depth):
        inner["message"] = {"type": "message"}
        inner = inner["message"]
    return event


MALFORMED: list[tuple[str, str, str]] = [
    # Slash commands.
    ("command without user_id", _command(user_id=DROP), FORM),
    ("command with an empty user_id", _command(user_id=""), FORM),
    ("command without trigger_id", _command(trigger_id=DROP), FORM),
    ("command without response_url", _command(response_url=DROP), FORM),
    ("command without team_id", _command(team_id=DROP), FORM),
    ("command trigger_id too long", _command(trigger_id="1." * 200), FORM),
    ("command not starting with /", _command(command="client"), FORM),
    ("form with neither command nor payload", f"token={MARKER}&team_id=T1", FORM),
    ("empty body", "", FORM),
    ("form typed as block_actions", f"type=block_actions&actions=x&token={MARKER}", FORM),
    # Interactivity: the payload itself.
    ("payload not JSON", urlencode({"payload": '{"type": "block_actions", '}), FORM),
    ("payload a list", urlencode({"payload": "[]"}), FORM),
    ("payload null", urlencode({"payload": "null"}), FORM),
    ("payload without type", _payload(None), FORM),
    ("payload of an unknown type", _payload("nonsense"), FORM),
    ("payload type not a string", _payload(5), FORM),  # type: ignore[arg-type]
    # Fields bolt reads for every request.
    ("team a number", _button(team=5), FORM),
    ("enterprise a number", _button(enterprise=7), FORM),
    ("channel a number", _button(channel=9), FORM),
    ("response_url not a string", _button(response_url=["x"]), FORM),
    ("response_urls not a list", _payload("view_submission", view=VIEW, response_urls="x"), FORM),
    # block_actions.
    ("actions empty", _button(actions=[]), FORM),
    ("actions not a list", _button(actions={"0": {"action_id": "yc_button:0"}}), FORM),
    ("actions of strings", _button(actions=["yc_button:0"]), FORM),
    ("action without action_id", _button(actions=[{"type": "button", "value": "x"}]), FORM),
    ("action_id not a string", _button(actions=[{"action_id": 3, "value": "x"}]), FORM),
    (
        "button value not ASCII",
        _button(actions=[{"action_id": "yc_button:0", "value": "a.é"}]),
        FORM,
    ),
    ("button value a number", _button(actions=[{"action_id": "yc_button:0", "value": 5}]), FORM),
    ("button value null", _button(actions=[{"action_id": "yc_button:0", "value": None}]), FORM),
    ("user not an object", _button(user="UANA"), FORM),
    ("user null", _button(user=None), FORM),
    ("user missing", _button(user=DROP), FORM),
    ("user without id", _button(user={"team_id": "T1"}), FORM),
    ("user id empty", _button(user={"id": ""}), FORM),
    ("block_actions without trigger_id", _button(trigger_id=DROP), FORM),
    ("block_actions trigger_id a number", _button(trigger_id=12), FORM),
    ("view a string", _button(view="V1"), FORM),
    ("modal view without id", _button(view={"type": "modal"}, response_url=DROP), FORM),
    ("container a list", _button(container=[]), FORM),
    ("choice changed outside a modal", _choice_changed(view=DROP), FORM),
    ("choice changed without block_id", _choice_changed(block_id=DROP), FORM),
    (
        "choice changed in a view without metadata",
        _choice_changed({**VIEW, "private_metadata": 5}),
        FORM,
    ),
    ("choice changed to an option without value", _choice_changed(selected_option={}), FORM),
    # view_submission.
    ("view null", _payload("view_submission", view=None), FORM),
    ("view missing", _payload("view_submission"), FORM),
    ("view without id", _submission(id=DROP), FORM),
    ("view without callback_id", _submission(callback_id=DROP), FORM),
    ("view id too long", _submission(id="V" * 300), FORM),
    ("view without state", _submission(state=DROP), FORM),
    ("view state null", _submission(state=None), FORM),
    ("state values not an object", _submission(state={"values": "x"}), FORM),
    ("state field not an object", _submission(state={"values": {"f": "x"}}), FORM),
    ("private_metadata not a string", _submission(private_metadata=12), FORM),
    (
        "selected option without value",
        _submitted({"type": "static_select", "selected_option": {"text": "x"}}),
        FORM,
    ),
    (
        "date-time not a time",
        _submitted({"type": "datetimepicker", "selected_date_time": "soon"}),
        FORM,
    ),
    (
        "date-time out of range",
        _submitted({"type": "datetimepicker", "selected_date_time": 10**20}),
        FORM,
    ),
    ("text value not a string", _submitted({"type": "plain_text_input", "value": {}}), FORM),
    # block_suggestion.
    ("suggestion without action_id", _payload("block_suggestion", value="acm"), FORM),
    (
        "suggestion value not a string",
        _payload("block_suggestion", action_id="client", value=["acm"]),
        FORM,
    ),
    ("suggestion without user", _payload("block_suggestion", action_id="client", user=DROP), FORM),
    # The message shortcut.
    ("shortcut message a string", _shortcut(message="hello"), FORM),
    ("shortcut without message", _shortcut(message=DROP), FORM),
    ("shortcut message ts not a time", _shortcut(message={"ts": "yesterday"}), FORM),
    ("shortcut message ts out of range", _shortcut(message={"ts": "1e300"}), FORM),
    ("shortcut message author an object", _shortcut(message={"user": {"id": "U"}}), FORM),
    ("shortcut channel a string", _shortcut(channel="C1"), FORM),
    ("shortcut without trigger_id", _shortcut(trigger_id=DROP), FORM),
    ("shortcut without callback_id", _shortcut(callback_id=DROP), FORM),
    # JSON bodies (the Events API).
    ("JSON body not JSON", '{"type": "event_callback", ', JSON),
    ("JSON body a list", "[]", JSON),
    ("JSON body a string", '"event_callback"', JSON),
    ("JSON body without type", json.dumps({"token": MARKER, "event": {"type": "x"}}), JSON),
    ("JSON body type not a string", json.dumps({"token": MARKER, "type": ["x"]}), JSON),
    ("event null", _envelope(None), JSON),
    ("event a string", _envelope("app_home_opened"), JSON),
    ("event missing", _envelope(), JSON),
    ("event without type", _envelope({"user": "UANA"}), JSON),
    ("event type not a string", _envelope({"type": {"name": "message"}}), JSON),
    ("url_verification without challenge", json.dumps({"type": "url_verification"}), JSON),
    ("app_home_opened without user", _envelope({"type": "app_home_opened", "tab": "home"}), JSON),
    (
        "app_home_opened user an object",
        _envelope({"type": "app_home_opened", "tab": "home", "user": {"id": "UANA"}}),
        JSON,
    ),
    ("message ts not a time", _message(ts="now"), JSON),
    ("message user an object", _message(user={"id": "UCLIENT"}), JSON),
    ("message subtype a list", _message(subtype=[]), JSON),
    ("message channel a number", _message(channel=5), JSON),
    ("message text a number", _message(text=5), JSON),
    ("authorizations of numbers", _envelope({"type": "message"}, authorizations=[5]), JSON),
    ("authorizations a string", _envelope({"type": "message"}, authorizations="T1"), JSON),
    (
        "authorization team not a string",
        _envelope({"type": "message"}, authorizations=[{"team_id": 5}]),
        JSON,
    ),
    ("event_id too long", _envelope({"type": "message"}, event_id="Ev" + "x" * 300), JSON),
    ("event nested too deeply", _envelope(_nested(12)), JSON),
]

# Left to bolt, which answers them as before: 200, or 404 "unhandled request" when no listener
# takes them.
WELL_FORMED: list[tuple[str, str, str]] = [
    ("the App Home's messages tab", _envelope({"type": "app_home_opened", "user": "UANA"}), JSON),
    ("an event nobody subscribed to", _envelope({"type": "reaction_added", "user": "U"}), JSON),
    ("an Events API type not handled", json.dumps({"type": "app_rate_limited"}), JSON),
    ("a message edit", _envelope({"type": "message", "subtype": "message_changed"}), JSON),
    ("a closed modal", _payload("view_closed", view={"id": "V1", "callback_id": "x"}), FORM),
    ("another app's button", _button(actions=[{"action_id": "other", "value": "é"}]), FORM),
    ("an unknown slash command", _command(command="/weather"), FORM),
    ("an SSL check", f"ssl_check=1&token={MARKER}", FORM),
]


def test_the_table_has_no_duplicate_names() -> None:
    names = [name for name, _body, _type in MALFORMED + WELL_FORMED]
    assert len(names) == len(set(names))


async def test_malformed_requests_get_400_and_nothing_else_happens(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    wrong: list[tuple[str, int, str]] = []
    for name, body, content_type in MALFORMED:
        answer = await slack.post(body, content_type=content_type)
        refused = answer.status == 400 and answer.json()["error"] == "malformed_request"
        if not refused or not answer.json()["message"]:
            wrong.append((name, answer.status, answer.text[:80]))
    for name, body, content_type in WELL_FORMED:
        answer = await slack.post(body, content_type=content_type)
        unhandled = answer.status == 404 and answer.json() == {"error": "unhandled request"}
        if answer.status != 200 and not unhandled:
            wrong.append((name, answer.status, answer.text[:80]))
    await asyncio.sleep(0.5)  # what would fail after the acknowledgement has failed by now
    assert wrong == [], "\n".join(f"{name}: {status} {text}" for name, status, text in wrong)
    # Only the outbox dispatcher's auth.test (which workspace the token is for) reached Slack,
    # and the welcome of the one person who opened the App Home: who they are, then (sent by
    # the outbox, maybe not yet) the direct message.
    reached = [call.method for call in slack.fake.calls if call.method != "auth.test"]
    assert reached in (["users.info"], ["users.info", "chat.postMessage"])
    failures = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info
    ]
    assert failures == []
    refusals = [record for record in caplog.records if record.name == "bot.slack.request_shape"]
    assert len(refusals) == len(MALFORMED)
    assert all(record.levelno == logging.WARNING for record in refusals)
    assert MARKER not in caplog.text


async def test_the_reason_names_the_field(slack: SlackDriver) -> None:
    answer = await slack.post(_button(actions=[]))
    assert answer.status == 400
    assert answer.json() == {
        "error": "malformed_request",
        "message": "payload.actions is missing, not a list or empty",
    }
    challenge = json.dumps({"type": "url_verification", "token": MARKER, "challenge": "c-1"})
    verified = await slack.post(challenge, content_type=JSON)
    assert (verified.status, verified.json()) == (200, {"challenge": "c-1"})
