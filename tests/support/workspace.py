"""Talking to the skills as a person would: command text in, reply out; or typed into the
local shell, answering its prompts line by line."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.shell.session import ShellSession
from skills.commands import Command
from skills.core.context import Actor, Services
from skills.dispatch import handle
from skills.replies import Reply
from skills.text.command_parser import parse_command
from skills.text.i18n import translator
from tests.support.clock import FakeClock


@dataclass
class Typed:
    """One command typed into the shell: its final reply, the replies it wrote (as text), the
    prompts in the order they were asked, what it said besides (hints, errors), and the
    answers it never read."""

    reply: Reply
    shown: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


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

    async def shell(
        self,
        line: str,
        answers: Iterable[str] = (),
        *,
        as_user: str = "ana",
        language: str = "en",
        **traits: object,
    ) -> Typed:
        """Type ``line`` into the local shell as ``as_user``, then ``answers`` one line per
        prompt; input ends after the last (as when the person presses Ctrl-D)."""
        self.clock.advance(minutes=1)
        left = list(answers)
        shown: list[str] = []
        prompts: list[str] = []
        said: list[str] = []

        def read_line(prompt: str) -> str | None:
            prompts.append(prompt)
            return left.pop(0) if left else None

        t = translator(language)
        actor = self.person(as_user, locale=language, **traits)
        session = ShellSession(
            self.services,
            actor,
            t,
            read_line=read_line,
            write=shown.append,
            say=said.append,
            as_json=False,
        )
        return Typed(await session.run(line), shown, prompts, said, left)
