"""The shape an authenticated Teams request must have before the Agents SDK reads it.

The SDK answers a body that is not JSON with 400, but builds its ``Activity`` model from any
JSON without catching the model's errors: an array, an activity without ``type`` or with
``"from": null`` answered 500 with a traceback (logged by the SDK with the body's values), and
an invoke whose value (or its ``data``) was not an object failed in the bot with another. The
route asks ``malformed_activity`` first and answers 400 with its reason instead.
"""

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from microsoft_agents.activity import Activity
from pydantic import ValidationError

# The SDK logs every activity its model refuses as an error, with a traceback and the values;
# a refusal here is logged once by the route, as a warning, without them.
SDK_ACTIVITY_LOG = "microsoft_agents.activity.activity"
# The activity's top-level fields, by the names JSON gives them.
FIELDS = frozenset(
    {name for name in Activity.model_fields}
    | {field.alias for field in Activity.model_fields.values() if field.alias}
)


def malformed_activity(data: object) -> str | None:
    """None when the parsed body is an activity the SDK can take; otherwise a short reason
    naming fields, never their values."""
    if not isinstance(data, dict):
        return "the body is not a JSON object"
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        return "type is missing or not a string"
    try:
        with _sdk_quiet():
            activity = Activity.model_validate(data)
    except ValidationError as error:
        fields = sorted({_field(detail["loc"]) for detail in error.errors()})
        verb = "is" if len(fields) == 1 else "are"
        return f"not an activity: {', '.join(fields)} {verb} not valid"
    except Exception:  # the model's own consistency checks (channelId against productInfo)
        return "not an activity: its fields contradict each other"
    if activity.conversation is None or not activity.conversation.id:
        return "conversation.id is missing"  # as the SDK would say, after more work
    if kind == "invoke":
        return _malformed_invoke(data.get("value"))
    return None


def _malformed_invoke(value: object) -> str | None:
    """An invoke's value is what a card or a message action sent: an object, whose ``data``
    (a form's inputs, a button's payload) is an object too when there is one."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "value is not an object"
    inputs = value.get("data")
    if inputs is not None and not isinstance(inputs, dict):
        return "value.data is not an object"
    return None


def _field(location: tuple[Any, ...]) -> str:
    first = location[0] if location else None
    return first if isinstance(first, str) and first in FIELDS else "a field"


@contextlib.contextmanager
def _sdk_quiet() -> Iterator[None]:
    """The SDK's activity log off for one synchronous validation (nothing else runs meanwhile
    on the event loop)."""
    logger = logging.getLogger(SDK_ACTIVITY_LOG)
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was
