"""A Zendesk trigger's webhook body read as a signal (docs/integrations.md). Zendesk sends
whatever JSON the trigger defines; Yellowcard reads exactly the body the guide has the team
paste, and refuses any other field, so no ticket text (subject, description, comments) is
ever taken in:

```json
{"event": "ticket_created", "ticket_id": "{{ticket.id}}",
 "organization_id": "{{ticket.organization.id}}",
 "organization_name": "{{ticket.organization.name}}",
 "updated_at": "{{ticket.updated_at_with_timestamp}}",
 "time_spent_seconds": "{{ticket.ticket_field_<id>}}"}
```

``event`` is the trigger's own: ``ticket_created`` → ``ticket_opened``; ``ticket_solved`` →
``ticket_solved``; ``ticket_reopened`` → ``touch`` (the client came back on the same ticket:
contact, not a new ticket). ``time_spent_seconds`` (optional, the Time Tracking app's total)
becomes whole minutes.
"""

from datetime import datetime
from typing import Any

from skills.integrations.receiving import Heard, Said
from skills.signals.checking import MAX_MINUTES
from storage.book_models import SignalKind

EVENTS = {
    "ticket_created": SignalKind.TICKET_OPENED.value,
    "ticket_solved": SignalKind.TICKET_SOLVED.value,
    "ticket_reopened": SignalKind.TOUCH.value,
}
REQUIRED = ("event", "ticket_id", "organization_id")
# ``updated_at`` is required of solved and reopened tickets.
OPTIONAL = ("organization_name", "updated_at", "time_spent_seconds")


class BodyError(ValueError):
    """The body is not the one the guide gives; the message (English, for whoever set the
    trigger up) says what is wrong."""


def read_body(body: object, at: datetime) -> Said | None:
    """The signal a trigger's body carries, at ``at`` (when Zendesk signed it). BodyError for
    any other body; None for a ticket without an organisation (nobody to count it against)."""
    if not isinstance(body, dict):
        raise BodyError("the body is the JSON object of docs/integrations.md")
    unknown = sorted(set(body) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise BodyError(
            f"unknown fields: {', '.join(unknown)}; only {', '.join(REQUIRED + OPTIONAL)} "
            f"are read (never a ticket's text)"
        )
    event, ticket_id = body.get("event"), _field(body, "ticket_id")
    if event not in EVENTS:
        raise BodyError(f"event is one of {', '.join(EVENTS)}")
    if not ticket_id:
        raise BodyError("ticket_id is {{ticket.id}}")
    organization = _field(body, "organization_id")
    if not organization:
        return None
    updated = _field(body, "updated_at")
    # One ticket is created once; solved and reopened again and again, each time a new
    # ``updated_at`` (a retry of the same delivery carries the same one).
    if event != "ticket_created" and not updated:
        raise BodyError(
            "updated_at is {{ticket.updated_at_with_timestamp}}: it tells a retry from a ticket "
            "solved or reopened again"
        )
    suffix = "" if event == "ticket_created" else f":{updated}"
    heard = Heard(
        external_id=f"{ticket_id}:{event}{suffix}",
        kind=EVENTS[str(event)],
        at=at,
        minutes=_minutes(body.get("time_spent_seconds")),
    )
    return Said(organization, _field(body, "organization_name"), (heard,))


def _field(body: dict[str, Any], name: str) -> str | None:
    """A placeholder's value: Zendesk sends every placeholder as a text, "" when empty."""
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 150 or not value.isprintable():
        raise BodyError(f"{name} is a text of at most 150 characters")
    return value.strip() or None


def _minutes(value: object) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_MINUTES * 60:
        raise BodyError("time_spent_seconds is a whole number of seconds, or empty")
    return round(int(text) / 60)
