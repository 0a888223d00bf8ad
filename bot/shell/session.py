"""The local shell: the chat commands in a terminal, as one local user of the local tenant.

Forms are filled in by prompting, one field at a time: each answer is checked at once by the
skill the form belongs to (``skills.dispatch.check_form``), and a wrong one is asked again,
with what is wrong after the field's label. Fields the command already gave are not asked, and
fields the answers make unneeded (days overdue, for anything but unpaid invoices) are skipped.
Buttons are offered as numbered choices. Replies are written with ``write``; prompts and hints
with ``say``, so piped output stays clean.
"""

import json
from collections.abc import Callable

from bot.shell.render import labelled, render_text, with_mentions
from skills.commands import Command
from skills.core.context import Actor, Services
from skills.core.forms import complete_form, next_to_ask
from skills.dispatch import check_form, handle
from skills.replies import Actions, Button, ChoiceField, Form, FormField, Reply, reply_to_json
from skills.text.command_parser import parse_command
from skills.text.i18n import Translator

LOCAL_TENANT = "local"
ReadLine = Callable[[str], str | None]
Write = Callable[[str], None]
Answers = dict[str, str | None]


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
        answers: Answers = {}
        submitted: Command | None = None
        while True:
            form = reply.form
            if form is not None:
                self._show(reply)
                answers = _still_good(answers, form, submitted)
                submitted = await self._fill(form, answers)
                if submitted is None:
                    return reply
                reply = await handle(self._services, self._actor, submitted)
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

    async def _fill(self, form: Form, answers: Answers) -> Command | None:
        """Ask for the fields still needed, one at a time, each checked as it is answered
        (``answers`` holds what was answered); the command to submit, or None when input ends
        (the form is cancelled)."""
        current = form
        while (field := next_to_ask(current, answers)) is not None:
            answer = self._ask(field, current)
            if answer is None:
                return None
            value = answer or None
            if value is None and field.required:
                self._say(labelled(self._t, field.label, self._t._("This field is required.")))
                continue
            checked = await check_form(
                self._services, self._actor, complete_form(form, {**answers, field.name: value})
            )
            redrawn = checked.form if checked is not None else None
            error = redrawn.errors.get(field.name) if redrawn is not None else None
            if error:
                self._say(labelled(self._t, field.label, error))
                continue
            answers[field.name] = value
            # The form for the answers so far: without the fields they make unneeded.
            current = redrawn or current
        return complete_form(form, answers)

    def _ask(self, field: FormField, form: Form) -> str | None:
        """The person's answer to one field ("" for none, a choice's number read as the
        choice); None when input ends. Enter keeps a value shown in brackets, which a wrong
        value never is."""
        if field.hint:
            self._say(f"  ({field.hint})")
        if isinstance(field, ChoiceField):
            for number, choice in enumerate(field.choices, 1):
                extra = f" — {choice.description}" if choice.description else ""
                self._say(f"  {number}. {choice.label} ({choice.value}){extra}")
        kept = field.value if field.value and field.name not in form.errors else ""
        answer = self._read_line(f"{field.label} [{kept}]: " if kept else f"{field.label}: ")
        if answer is None:
            return None
        answer = answer.strip() or kept
        if isinstance(field, ChoiceField):
            answer = _choice(field, answer)
        return answer

    def _pick(self, buttons: list[Button]) -> Command | None:
        """The command of the button the person picks by number, or None."""
        answer = self._read_line(self._t._("Choose a number, or press Enter to stop: "))
        if answer is None or not answer.strip().isdigit():
            return None
        index = int(answer.strip()) - 1
        return buttons[index].command if 0 <= index < len(buttons) else None


def _choice(field: ChoiceField, answer: str) -> str:
    """A choice's number or its label, as the choice's value; anything else as it was typed
    (the skill reads it, and says what is wrong with it)."""
    if answer.isdigit() and 0 < int(answer) <= len(field.choices):
        return field.choices[int(answer) - 1].value
    folded = answer.casefold()
    return next((c.value for c in field.choices if c.label.casefold() == folded), answer)


def _still_good(answers: Answers, form: Form, submitted: Command | None) -> Answers:
    """What the person answered that still stands when ``form`` comes back for the command
    they submitted: all but the answers it finds wrong. Any other form starts empty."""
    if submitted is None or type(submitted) is not type(form.command) or not form.errors:
        return {}
    return {name: value for name, value in answers.items() if name not in form.errors}


def _buttons(reply: Reply) -> list[Button]:
    """The reply's buttons, in order: suggestions, Undo, next page, playbook steps…"""
    return [b for block in reply.blocks if isinstance(block, Actions) for b in block.buttons]
