"""Talking to the skills as a person would: command text in, reply out."""

from dataclasses import dataclass

from skills.commands import Command
from skills.core.context import Actor, Services
from skills.dispatch import handle
from skills.replies import Reply
from skills.text.command_parser import parse_command
from tests.support.clock import FakeClock


@dataclass
class Workspace:
    """One tenant and the people in it."""

    services: Services
    clock: FakeClock
    tenant_id: str

    def person(self, user_id: str, **traits: object) -> Actor:
        """Someone of this tenant (``locale``, ``is_admin``, ``is_guest`` may be given)."""
        return Actor(self.tenant_id, user_id, user_id.title(), **traits)  # type: ignore[arg-type]

    async def say(self, text: str, *, as_user: str = "ana", **traits: object) -> Reply:
        """Run the chat command ``text`` as ``as_user``."""
        return await self.run(parse_command(text), as_user=as_user, **traits)

    async def run(self, command: Command, *, as_user: str = "ana", **traits: object) -> Reply:
        """Run a typed command (what a form or button submits) as ``as_user``.

        The clock moves a minute first: people do not act twice in the same microsecond.
        """
        self.clock.advance(minutes=1)
        return await handle(self.services, self.person(as_user, **traits), command)
