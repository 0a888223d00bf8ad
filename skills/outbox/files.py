"""Files the outbox gives people (a client's export): the file itself, and where the person
said to put it on a platform that asks first.

Slack takes a file at once. Teams asks the person first (a consent card); once they allow it, a
second outbox row carries the platform's upload details (its ``destination``) and the worker
puts the file there. Those details include an upload address anyone holding it can write to, so
a row keeps them only until it is settled.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DESTINATION = "destination"


@dataclass(frozen=True)
class OutgoingFile:
    """A file for a person: its bytes (never in a repr, so never in a log), its name, a title
    to show with it and its media type."""

    content: bytes = field(repr=False)
    filename: str
    title: str
    media_type: str


def destination_of(payload: Mapping[str, Any]) -> dict[str, str] | None:
    """Where the person said to put the file (the platform's upload details), if they did."""
    destination = payload.get(DESTINATION)
    if not isinstance(destination, Mapping):
        return None
    return {str(key): str(value) for key, value in destination.items()}


def without_destination(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload without its upload details, once they are used."""
    return {key: value for key, value in payload.items() if key != DESTINATION}
