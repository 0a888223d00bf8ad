"""Button values: the command a button runs, signed so that nobody can forge one.

Slack and Teams buttons carry the same values. A value is ``c:<json>.<mac>`` (the command
inline) or ``p:<id>.<mac>`` (parked in the database when the JSON would pass Slack's 2,000
characters). The MAC binds the value to the tenant and the person it was shown to; a value that
fails the check is refused before it is read.
A report button gets an idempotency key when it is drawn, so a double click files once.
"""

import base64
import dataclasses
import hashlib
import hmac
import json
import uuid

from skills.commands import Command, ReportIncident, command_from_dict, command_to_dict
from skills.core.context import Actor, Services
from skills.core.forms import park_command, parked_command
from skills.replies import Actions, Button, Reply

VALUE_LIMIT = 2000
INLINE = "c:"
PARKED = "p:"
MAC_LENGTH = 32


class ButtonCodec:
    """Encodes and checks button values with one secret key."""

    def __init__(self, services: Services, key: bytes) -> None:
        self._services = services
        self._key = key

    async def values(self, reply: Reply, actor: Actor) -> dict[Button, str]:
        """Each button of the reply with its signed value."""
        values: dict[Button, str] = {}
        for block in reply.blocks:
            if not isinstance(block, Actions):
                continue
            for button in block.buttons:
                values[button] = await self._encode(_keyed(button.command), actor)
        return values

    async def command(self, value: str, actor: Actor) -> Command | None:
        """The command behind a clicked value; None when forged, unreadable or expired."""
        body, _dot, mac = value.rpartition(".")
        if not body or not hmac.compare_digest(mac, self._mac(body, actor)):
            return None
        try:
            if body.startswith(INLINE):
                raw = base64.urlsafe_b64decode(body.removeprefix(INLINE)).decode()
                return command_from_dict(json.loads(raw))
            if body.startswith(PARKED):
                return await parked_command(self._services, actor, body.removeprefix(PARKED))
        except ValueError:
            return None
        return None

    async def _encode(self, command: Command, actor: Actor) -> str:
        # UTF-8 rather than \u escapes: a message quoted in Japanese or Chinese takes half the
        # room, and so stays in the button instead of being parked in the database.
        raw = json.dumps(
            command_to_dict(command), separators=(",", ":"), ensure_ascii=False
        ).encode()
        body = INLINE + base64.urlsafe_b64encode(raw).decode()
        if len(body) + 1 + MAC_LENGTH > VALUE_LIMIT:
            body = PARKED + await park_command(self._services, actor, command)
        return f"{body}.{self._mac(body, actor)}"

    def _mac(self, body: str, actor: Actor) -> str:
        message = f"{actor.tenant_id}\n{actor.user_id}\n{body}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:MAC_LENGTH]


def _keyed(command: Command) -> Command:
    if isinstance(command, ReportIncident) and command.idempotency_key is None:
        return dataclasses.replace(command, idempotency_key=f"button:{uuid.uuid4()}")
    return command


def button_key(*secrets: str | None) -> bytes:
    """The MAC key, derived from the first platform secret configured (documented in slack.md
    and teams.md)."""
    secret = next((value for value in secrets if value), None)
    if secret is None:
        raise ValueError("a platform secret is needed to sign button values")
    return hashlib.sha256(b"yellowcard button values\n" + secret.encode()).digest()
