"""What each kind of verified Slack request must hold, checked field by field for
``request_shape.malformed_request``: slash commands, Events API bodies and interactivity
payloads, each by what bolt and the listeners read of it. Reasons name fields, never values."""

from datetime import UTC, datetime
from typing import Any

from bot.slack.ids import ActionId

# What a slash command's form always carries, and the listener or bolt reads: the reply goes
# to response_url, a form opens with trigger_id, /client link acts on channel_id.
COMMAND_FIELDS = ("command", "user_id", "team_id", "channel_id", "trigger_id", "response_url")
# Slack's ids are a dozen characters, its trigger ids a few dozen; they reach database columns
# of 200 behind a prefix (a view's id is a report's idempotency key, "slack:view:<id>").
ID_LIMIT = 100
# ProcessedEvent.event_id: one event id too long fails the whole batch it is counted in.
EVENT_ID_LIMIT = 200


def command_problem(body: dict[str, Any], at: str) -> str | None:
    for key in COMMAND_FIELDS:
        if not _filled(body.get(key)):
            return f"{at}{key} is missing or empty"
    for key in ("user_id", "team_id", "channel_id", "trigger_id"):
        if len(body[key]) > ID_LIMIT:
            return f"{at}{key} is too long"
    if not body["command"].startswith("/"):
        return f"{at}command does not start with /"
    if not optional_str(body.get("text")):
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
        if not optional_str(event.get("tab")):
            return f"{at}event.tab is not a string"
    return None


def _message_event_problem(event: dict[str, Any], at: str) -> str | None:
    """What the channel listener reads of a message, in the message lane's task."""
    for key in ("subtype", "user", "channel", "text"):
        if not optional_str(event.get(key)):
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
        if "value" in first and not (isinstance(value, str) and value.isascii()):
            return f"{at}actions[0].value is not an ASCII string"
    for key in ("view", "container"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"{at}{key} is not an object"
    view = body.get("view") or {}
    # A button in a modal updates that modal, by its id.
    if view.get("type") == "modal" and not _id(view.get("id")):
        return f"{at}view.id is missing, empty or too long"
    if first["action_id"].startswith(ActionId.FORM_FIELD_PREFIX.value):
        return _field_changed_problem(body, first, at)
    return None


def _field_changed_problem(body: dict[str, Any], action: dict[str, Any], at: str) -> str | None:
    """A choice changed in a modal: the modal is redrawn for its parked form, with the chosen
    value read as a submission's."""
    view = body.get("view")
    if not isinstance(view, dict) or view.get("type") != "modal":
        return f"{at}view is missing or not a modal"
    if not isinstance(view.get("private_metadata"), str):
        return f"{at}view.private_metadata is missing or not a string"
    if not optional_str(view.get("hash")):
        return f"{at}view.hash is not a string"
    if not isinstance(action.get("block_id"), str):
        return f"{at}actions[0].block_id is missing or not a string"
    return _submitted_problem(action, f"{at}actions[0]")


def _block_suggestion_problem(body: dict[str, Any], at: str) -> str | None:
    problem = _interaction_problem(body, at, trigger=False)
    if problem is not None:
        return problem
    if not isinstance(body.get("action_id"), str):
        return f"{at}action_id is missing or not a string"
    if not optional_str(body.get("value")):
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
    if not optional_str(view.get("private_metadata")):
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
    elif not optional_str(action.get("value")):
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
        if not optional_str(message.get(key)):
            return f"{at}message.{key} is not a string"
    if message.get("ts") and not _timestamp(message["ts"]):
        return f"{at}message.ts is not a Slack timestamp"
    return None


CHECKS_BY_TYPE = {
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


def optional_str(value: object) -> bool:
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
