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
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.slack.payload_checks import CHECKS_BY_TYPE, command_problem, optional_str

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
# Where bolt looks for ids, recursively, when it builds a request's context
# (slack_bolt.request.internals: extract_user_id, extract_channel_id, …).
NESTED = ("event", "message", "previous_message", "item", "assistant_thread")
# Slack nests these two or three deep; bolt's recursion has no limit of its own.
MAX_DEPTH = 4


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
        problem = command_problem(body, at)
        if problem is not None or "type" not in body:
            return problem
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return f"{at}type is missing or not a string"
    check = CHECKS_BY_TYPE.get(kind)
    return check(body, at) if check is not None else None


def _context_problem(node: dict[str, Any], at: str, depth: int) -> str | None:
    """The fields bolt reads to build a request's context, and where it recurses."""
    if depth > MAX_DEPTH:
        return f"{at} is nested too deeply"
    for key in ("enterprise_id", "team_id", "user_id", "channel_id", "response_url"):
        if not optional_str(node.get(key)):
            return f"{at}{key} is not a string"
    for key in ("enterprise", "team", "user", "channel"):
        value = node.get(key)
        if value is None or isinstance(value, str):
            continue
        if not isinstance(value, dict):
            return f"{at}{key} is not an object"
        for inner in ("id", "team_id", "enterprise_id"):
            if not optional_str(value.get(inner)):
                return f"{at}{key}.{inner} is not a string"
    view = node.get("view")
    if isinstance(view, dict):
        for inner in ("app_installed_team_id", "team_id"):
            if not optional_str(view.get(inner)):
                return f"{at}view.{inner} is not a string"
    if "response_urls" in node and "response_url" not in node:
        urls = node["response_urls"]
        if not isinstance(urls, list) or not all(isinstance(url, dict) for url in urls):
            return f"{at}response_urls is not a list of objects"
        if urls and not optional_str(urls[0].get("response_url")):
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
