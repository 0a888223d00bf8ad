"""The neutral reply: a small vocabulary of blocks that each surface renders its own way.

Every reply also carries ``data``: machine-readable results (ids, states, counts) so that scripts
and tests never parse prose.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from skills.commands import AddEvidence, Command, ReportIncident


class Visibility(StrEnum):
    """Who may see a reply: only the person who asked, or the conversation."""

    PRIVATE = "private"
    CHANNEL = "channel"


class ReplyKind(StrEnum):
    """What a reply is, so surfaces can style it and scripts can branch on it."""

    RESULT = "result"
    ERROR = "error"
    REFUSED = "refused"
    FORM = "form"


class ButtonStyle(StrEnum):
    """How prominent a button is."""

    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Heading:
    """A title line."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text."""

    text: str


@dataclass(frozen=True)
class Fact:
    """One label and its value."""

    label: str
    value: str


@dataclass(frozen=True)
class Facts:
    """A list of label/value pairs."""

    items: tuple[Fact, ...]


@dataclass(frozen=True)
class Button:
    """A button that runs ``command`` for the person who clicks it."""

    label: str
    command: Command
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Actions:
    """A row of buttons."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Choice:
    """One option of a choice field."""

    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class ChoiceField:
    """Pick one of ``choices``."""

    name: str
    label: str
    choices: tuple[Choice, ...]
    value: str | None = None
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class TextField:
    """Free text, one line or several."""

    name: str
    label: str
    value: str | None = None
    required: bool = True
    multiline: bool = False
    max_length: int | None = None
    hint: str = ""


@dataclass(frozen=True)
class DateTimeField:
    """A date and time (ISO 8601 text, in the tenant's timezone when no offset is given)."""

    name: str
    label: str
    value: str | None = None
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class ClientPickerField:
    """A client of this tenant, chosen by name with type-ahead where the surface has it."""

    name: str
    label: str
    value: str | None = None
    required: bool = True
    hint: str = ""


@dataclass(frozen=True)
class PersonField:
    """A person of this tenant: a user picker where the surface has one (the value is their
    id), else their id or handle as text."""

    name: str
    label: str
    value: str | None = None
    required: bool = True
    hint: str = ""


FormField = ChoiceField | TextField | DateTimeField | ClientPickerField | PersonField


@dataclass(frozen=True)
class Form:
    """Fields to fill in; submitting puts each value in the field of the same name of ``command``.

    ``errors`` maps a field name to what is wrong with the value given for it.
    """

    title: str
    fields: tuple[FormField, ...]
    submit_label: str
    command: Command
    errors: Mapping[str, str] = field(default_factory=dict)
    description: str = ""


Block = Heading | Paragraph | Facts | Actions | Form


@dataclass(frozen=True)
class Reply:
    """What a skill answers."""

    kind: ReplyKind
    blocks: tuple[Block, ...]
    data: Mapping[str, Any] = field(default_factory=dict)
    visibility: Visibility = Visibility.PRIVATE

    @property
    def headline(self) -> str:
        """The reply's first heading or paragraph: a notification's one line."""
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph) and block.text:
                return block.text
        return "Yellowcard"

    @property
    def form(self) -> Form | None:
        """The reply's form, if it asks for one."""
        return next((block for block in self.blocks if isinstance(block, Form)), None)


def complete_form(form: Form, values: Mapping[str, str | None]) -> Command:
    """The form's command with the submitted values in the fields of the same names."""
    return fill_command(form.command, values)


def fill_command(command: Command, values: Mapping[str, str | None]) -> Command:
    """``command`` with each value in its field of the same name; other names are ignored
    (a platform may send back more than the form asked)."""
    names = {field.name for field in dataclasses.fields(command)}
    known: dict[str, Any] = {name: value for name, value in values.items() if name in names}
    collector = getattr(command, "COLLECTS_OTHER_FIELDS", None)
    if collector:
        # A form with fields named by data (the assessment's questions) collects the rest.
        others = {name: value for name, value in values.items() if name not in names and value}
        earlier = dict(getattr(command, collector))
        known[collector] = tuple(sorted({**earlier, **others}.items()))
    target: Any = command  # every Command is a dataclass; mypy cannot see through the union
    return cast(Command, dataclasses.replace(target, **known))


def submitted_command(
    parked: Command, values: Mapping[str, str | None], submission_key: str
) -> Command:
    """A submitted form's command, keyed by the submission (one key per drawn form), so a
    double click on "Submit" files it once."""
    return with_submission_key(fill_command(parked, values), submission_key)


def with_submission_key(command: Command, submission_key: str) -> Command:
    """A report (or added evidence) with ``submission_key`` as its idempotency key, so the
    same submission handled twice files once; any other command as it is."""
    if isinstance(command, ReportIncident | AddEvidence):
        return dataclasses.replace(command, idempotency_key=submission_key)
    return command


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """The reply as JSON-ready data, each block tagged with its type."""
    return {
        "kind": reply.kind.value,
        "visibility": reply.visibility.value,
        "blocks": [_tagged(block) for block in reply.blocks],
        "data": dict(reply.data),
    }


def _tagged(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _tagged(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **fields}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_tagged(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _tagged(item) for key, item in value.items()}
    return value
