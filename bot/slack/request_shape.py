"""The shape a verified Slack request must have before anything parses it further.

bolt and the listeners index into what Slack sends (``body["user"]["id"]``,
``body["actions"][0]``, ``event.get(...)``), so a signed but malformed body would answer 500
with a traceback, or be acknowledged and then fail in the background with nobody told. The
route asks ``malformed_request`` first and answers 400 with its reason instead.

It checks exactly what is read: by bolt when it builds a request's context (the ids, the
authorizations, ``response_url``) and matches listeners (``command``, ``type``, ``actions[0]``,
``view.callback_id``, ``event.type``), by the listeners of ``bot/slack/surface.py``, and by
the message lane and the channel listener (message events). Anything else, an event nobody
subscribed to for instance, is well-formed and left to bolt, which answers it as before.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.slack.ids import ActionId

log = logging.getLogger(__name__)

JSON = "application/json"
# Interactivity payloads Slack sends; those without a listener here are left to bolt.
PAYLOAD_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "dialog_suggestion",
        "workflow_step_edit",
    }
)
# What a slash command's form always carries, and the listener or bolt reads: the reply goes
# to response_url, a form opens with trigger_id, /client link acts on channel_id.
COMMAND_FIELDS = ("command", "user_id", "team_id", "channel_id", "trigger_id", "response_url")
# Where bolt looks for ids, recursively, when it builds a request's context
# (slack_bolt.request.internals: extract_user_id, extract_channel_id, …).
NESTED = ("event", "message", "previous_message", "item", "assistant_thread")
# Slack nests these two or three deep; bolt's recursion has no limit of its own.
MAX_DEPTH = 4
# Slack's ids are a dozen characters, its trigger ids a few dozen; they reach database columns
# of 200 behind a prefix (a view's id is a report's idempotency key, "slack:view:<id>").
ID_LIMIT = 100
# ProcessedEvent.event_id: one event id too long fails the whole batch it is counted in.
EVENT_ID_LIMIT = 200


def malformed_request(body: bytes, content_type: str | None) -> str | None:
    """None when a verified request has the shape bolt and the listeners read; otherwise a
    short reason, naming fields but never their values.

    ``content_type`` is the header bolt reads: JSON when it says so or the body starts with
    ``{`` (as bolt decides), a form otherwise, with interactivity in its ``payload`` field.
    """
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if not text:
        return "the body is empty"
    if (content_type or "").split(";")[0] == JSON or text.startswith("{"):
        parsed = _json_object(text)
        if isinstance(parsed, str):
            return f"the body {parsed}"
        return _request_problem(parsed, "")
    # As bolt parses a form (the route keeps bolt from mistaking a command that says
    # "payload" for an interactivity payload: bolt_safe_form).
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" not in form:
        if "command" not in form and form.get("ssl_check") != "1":
            return "a form body needs a command or a payload"
        return _request_problem(form, "")
    payload = _json_object(form["payload"])
    if isinstance(payload, str):
        return f"payload {payload}"
    if payload.get("type") not in PAYLOAD_TYPES:
        return "payload.type is missing or not one Slack sends"
    return _request_problem(payload, "payload.")


def refusal(reason: str) -> web.Response:
    """The 400 for a malformed request, logged in one line (the reason, never the body)."""
    log.warning("malformed Slack request refused: %s", reason)
    return web.json_response({"error": "malformed_request", "message": reason}, status=400)


def _json_object(text: str) -> dict[str, Any] | str:
    """The parsed object, or what is wrong with it."""
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return "is not JSON"
    return parsed if isinstance(parsed, dict) else "is not a JSON object"


def _request_problem(body: dict[str, Any], at: str) -> str | None:
    """Every check that applies to the dict bolt will see, in the order bolt reads it."""
    problem = _context_problem(body, at, 0)
    if problem is not None:
        return problem
    if "event" in body and not isinstance(body["event"], dict):
        # Read as body.get("event", {}).get(…) before any listener is chosen.
        return f"{at}event is not an object"
    if body.get("ssl_check") == "1":
        return None  # bolt answers it before anything else
    if "command" in body:
        # bolt's command matcher takes any body with a command, whatever its type.
        problem = _command_problem(body, at)
        if problem is not None or "type" not in body:
            return problem
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return f"{at}type is missing or not a string"
    check = _BY_TYPE.get(kind)
    return check(body, at) if check is not None else None


def _context_problem(node: dict[str, Any], at: str, depth: int) -> str | None:
    """The fields bolt reads to build a request's context, and where it recurses."""
    if depth > MAX_DEPTH:
        return f"{at} is nested too deeply"
    for key in ("enterprise_id", "team_id", "user_id", "channel_id", "response_url"):
        if not _optional_str(node.get(key)):
            return f"{at}{key} is not a string"
    for key in ("enterprise", "team", "user", "channel"):
        value = node.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict):
            return f"{at}{key} is not an object"
        for inner in ("id", "team_id", "enterprise_id"):
            if not _optional_str(value.get(inner)):
                return f"{at}{key}.{inner} is not a string"
    view = node.get("view")
    if isinstance(view, dict):
        for inner in ("app_installed_team_id", "team_id"):
            if not _optional_str(view.get(inner)):
                return f"{at}view.{inner} is not a string"
    if "response_urls" in node and "response_url" not in node:
        urls = node["response_urls"]
        if not isinstance(urls, list) or not all(isinstance(url, dict) for url in urls):
            return f"{at}response_urls is not a list of objects"
        if urls and not _optional_str(urls[0].get("response_url")):
            return f"{at}response_urls[0].response_url is not a string"
    authorizations = node.get("authorizations")
    if authorizations is not None:
        # bolt and the message lane read the first: the app's own installation.
        if not isinstance(authorizations, list):
            return f"{at}authorizations is not a list"
        if authorizations:
            if not isinstance(authorizations[0], dict):
                return f"{at}authorizations[0] is not an object"
            problem = _context_problem(authorizations[0], f"{at}authorizations[0].", depth + 1)
            if problem is not None:
                return problem
    for key in NESTED:
        inner_node = node.get(key)
        if isinstance(inner_node, dict):
            problem = _context_problem(inner_node, f"{at}{key}.", depth + 1)
            if problem is not None:
                return problem
    return None


def _command_problem(body: dict[str, Any], at: str) -> str | None:
    for key in COMMAND_FIELDS:
        if not _filled(body.get(key)):
            return f"{at}{key} is missing or empty"
    for key in ("user_id", "team_id", "channel_id", "trigger_id"):
        if len(body[key]) > ID_LIMIT:
            return f"{at}{key} is too long"
    if not body["command"].startswith("/"):
        return f"{at}command does not start with /"
    if not _optional_str(body.get("text")):
        return f"{at}text is not a string"
    return None


# Events API.


def _url_verification_problem(body: dict[str, Any], at: str) -> str | None:
    return None if isinstance(body.get("challenge"), str) else f"{at}challenge is not a string"


def _event_callback_problem(body: dict[str, Any], at: str) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict):
        return f"{at}event is missing or not an object"
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        return f"{at}event.type is missing or not a string"
    event_id = body.get("event_id")
    if event_id is not None and (not isinstance(event_id, str) or len(event_id) > EVENT_ID_LIMIT):
        return f"{at}event_id is not a string of at most {EVENT_ID_LIMIT} characters"
    if kind == "message":
        return _message_event_problem(event, f"{at}event.")
    if kind == "app_home_opened":
        # The tab is redrawn for event.user.
        if not _id(event.get("user")):
            return f"{at}event.user is missing, empty or too long"
        if not _optional_str(event.get("tab")):
            return f"{at}event.tab is not a string"
    return None


def _message_event_problem(event: dict[str, Any], at: str) -> str | None:
    """What the channel listener reads of a message, in the message lane's task."""
    for key in ("subtype", "user", "channel", "text"):
        if not _optional_str(event.get(key)):
            return f"{at}{key} is not a string"
    ts = event.get("ts")
    if ts is not None and not _timestamp(ts):
        return f"{at}ts is not a Slack timestamp"
    return None


# Interactivity.


def _user_problem(body: dict[str, Any], at: str) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict):
        return f"{at}user is missing or not an object"
    if not _id(user.get("id")):
        return f"{at}user.id is missing, empty or too long"
    return None


def _interaction_problem(body: dict[str, Any], at: str, *, trigger: bool = True) -> str | None:
    """What every interaction the listeners take carries: who, and a trigger for a modal."""
    problem = _user_problem(body, at)
    if problem is None and trigger and not _id(body.get("trigger_id")):
        problem = f"{at}trigger_id is missing, empty or too long"
    return problem


def _block_actions_problem(body: dict[str, Any], at: str) -> str | None:
    problem = _interaction_problem(body, at)
    if problem is not None:
        return problem
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        return f"{at}actions is missing, not a list or empty"
    if not all(isinstance(action, dict) for action in actions):
        return f"{at}actions holds something that is not an object"
    if not all(isinstance(action.get("action_id"), str) for action in actions):
        return f"{at}actions holds an action without a string action_id"
    first = actions[0]
    if first["action_id"].startswith(ActionId.BUTTON_PREFIX.value):
        value = first.get("value")
        # Our buttons' values are base64 and hex; the button codec compares them with
        # hmac.compare_digest, which refuses any other string.
        if value is not None and not (isinstance(value, str) and value.isascii()):
            return f"{at}actions[0].value is not an ASCII string"
    for key in ("view", "container"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"{at}{key} is not an object"
    view = body.get("view") or {}
    # A button in a modal updates that modal, by its id.
    if view.get("type") == "modal" and not _id(view.get("id")):
        return f"{at}view.id is missing, empty or too long"
    return None


def _block_suggestion_problem(body: dict[str, Any], at: str) -> str | None:
    problem = _interaction_problem(body, at, trigger=False)
    if problem is not None:
        return problem
    if not isinstance(body.get("action_id"), str):
        return f"{at}action_id is missing or not a string"
    if not _optional_str(body.get("value")):
        return f"{at}value is not a string"
    return None


def _view_submission_problem(body: dict[str, Any], at: str) -> str | None:
    problem = _interaction_problem(body, at, trigger=False)
    if problem is not None:
        return problem
    view = body.get("view")
    if not isinstance(view, dict):
        return f"{at}view is missing or not an object"
    if not isinstance(view.get("callback_id"), str):
        return f"{at}view.callback_id is missing or not a string"
    if not _id(view.get("id")):
        return f"{at}view.id is missing, empty or too long"
    if not _optional_str(view.get("private_metadata")):
        return f"{at}view.private_metadata is not a string"
    state = view.get("state")
    if not isinstance(state, dict):
        return f"{at}view.state is missing or not an object"
    values = state.get("values", {})
    if not isinstance(values, dict) or not all(
        isinstance(field, dict) and all(isinstance(action, dict) for action in field.values())
        for field in values.values()
    ):
        return f"{at}view.state.values is not an object of fields of objects"
    for field in values.values():
        for action in field.values():
            problem = _submitted_problem(action, f"{at}view.state.values")
            if problem is not None:
                return problem
    return None


def _submitted_problem(action: dict[str, Any], at: str) -> str | None:
    """What bot/slack/render.py's form_values reads of each submitted element."""
    kind = action.get("type")
    if kind in {"static_select", "external_select"}:
        option = action.get("selected_option")
        if option is not None and not (
            isinstance(option, dict) and isinstance(option.get("value"), str)
        ):
            return f"{at} holds a selected_option without a string value"
    elif kind == "datetimepicker":
        stamp = action.get("selected_date_time")
        if stamp and not _seconds(stamp):
            return f"{at} holds a selected_date_time that is not a time"
    elif not _optional_str(action.get("value")):
        return f"{at} holds a value that is not a string"
    return None


def _shortcut_problem(body: dict[str, Any], at: str) -> str | None:
    problem = _interaction_problem(body, at)
    if problem is None and not isinstance(body.get("callback_id"), str):
        problem = f"{at}callback_id is missing or not a string"
    return problem


def _message_action_problem(body: dict[str, Any], at: str) -> str | None:
    """The message shortcut quotes the message: its text, author, time and channel."""
    problem = _shortcut_problem(body, at)
    if problem is not None:
        return problem
    channel = body.get("channel")
    if channel is not None and not isinstance(channel, dict):
        return f"{at}channel is not an object"
    message = body.get("message")
    if not isinstance(message, dict):
        return f"{at}message is missing or not an object"
    for key in ("user", "username", "text"):
        if not _optional_str(message.get(key)):
            return f"{at}message.{key} is not a string"
    if message.get("ts") and not _timestamp(message["ts"]):
        return f"{at}message.ts is not a Slack timestamp"
    return None


_BY_TYPE = {
    "url_verification": _url_verification_problem,
    "event_callback": _event_callback_problem,
    "block_actions": _block_actions_problem,
    "block_suggestion": _block_suggestion_problem,
    "view_submission": _view_submission_problem,
    "message_action": _message_action_problem,
    # A global shortcut with our callback id would reach the same listener.
    "shortcut": _shortcut_problem,
}


# Values.


def _optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _filled(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _id(value: object) -> bool:
    return _filled(value) and len(str(value)) <= ID_LIMIT


def _timestamp(value: object) -> bool:
    """A Slack ``ts`` ("1764000000.000100"), as the listeners turn it into a time."""
    if not isinstance(value, str):
        return False
    try:
        datetime.fromtimestamp(float(value), UTC)
    except (ValueError, OverflowError, OSError):
        return False
    return True


def _seconds(value: object) -> bool:
    """A date-time picker's value, as form_values turns it into a time."""
    try:
        datetime.fromtimestamp(int(str(value)), UTC)
    except (ValueError, OverflowError, OSError):
        return False
    return True
