"""The local shell: the chat commands in a terminal, as one local user of the local tenant.

Forms are filled in by prompting, one field at a time; buttons are offered as numbered choices.
Replies are written with ``write``; prompts and hints with ``say``, so piped output stays clean.
"""

import json
from collections.abc import Callable

from bot.shell.render import render_text, with_mentions
from skills.commands import Command
from skills.core.context import Actor, Services
from skills.core.forms import complete_form
from skills.dispatch import handle
from skills.replies import Actions, Button, ChoiceField, Form, Reply, reply_to_json
from skills.text.command_parser import parse_command
from skills.text.i18n import Translator

LOCAL_TENANT = "local"
ReadLine = Callable[[str], str | None]
Write = Callable[[str], None]


class ShellSession:
    """Runs command lines for one person and writes the replies."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        t: Translator,
        *,
        read_line: ReadLine,
        write: Write,
        say: Write,
        as_json: bool,
    ) -> None:
        self._services = services
        self._actor = actor
        self._t = t
        self._read_line = read_line
        self._write = write
        self._say = say
        self._as_json = as_json

    async def run(self, line: str) -> Reply:
        """Run one command line to its final reply, prompting for forms and offering buttons.

        Input ending (EOF) stops the prompting; the reply so far is the result.
        """
        reply = await handle(self._services, self._actor, parse_command(line))
        while True:
            form = reply.form
            if form is not None:
                self._show(reply)
                values = self._fill(form)
                if values is None:
                    return reply
                reply = await handle(self._services, self._actor, complete_form(form, values))
                continue
            buttons = _buttons(reply)
            if not buttons:
                break
            self._show(reply)
            chosen = self._pick(buttons)
            if chosen is None:
                return reply
            reply = await handle(self._services, self._actor, chosen)
        self._show(reply)
        return reply

    def _show(self, reply: Reply) -> None:
        if self._as_json:
            dumped = json.dumps(reply_to_json(reply), ensure_ascii=False, default=str)
            self._write(with_mentions(dumped))
        else:
            self._write(render_text(reply, self._t))

    def _fill(self, form: Form) -> dict[str, str | None] | None:
        """Ask for each field; None when input ends (the form is cancelled)."""
        t = self._t
        values: dict[str, str | None] = {}
        for field in form.fields:
            if isinstance(field, ChoiceField):
                if field.hint:
                    self._say(f"  ({field.hint})")
                for number, choice in enumerate(field.choices, 1):
                    extra = f" — {choice.description}" if choice.description else ""
                    self._say(f"  {number}. {choice.label} ({choice.value}){extra}")
            while True:
                default = f" [{field.value}]" if field.value else ""
                answer = self._read_line(f"{field.label}{default}: ")
                if answer is None:
                    return None
                answer = answer.strip() or (field.value or "")
                if isinstance(field, ChoiceField) and answer.isdigit():
                    index = int(answer) - 1
                    if 0 <= index < len(field.choices):
                        answer = field.choices[index].value
                if answer or not field.required:
                    values[field.name] = answer or None
                    break
                self._say(t._("This field is required."))
        return values

    def _pick(self, buttons: list[Button]) -> Command | None:
        """The command of the button the person picks by number, or None."""
        answer = self._read_line(self._t._("Choose a number, or press Enter to stop: "))
        if answer is None or not answer.strip().isdigit():
            return None
        index = int(answer.strip()) - 1
        return buttons[index].command if 0 <= index < len(buttons) else None


def _buttons(reply: Reply) -> list[Button]:
    """The reply's buttons, in order: suggestions, Undo, next page, playbook steps…"""
    return [b for block in reply.blocks if isinstance(block, Actions) for b in block.buttons]
