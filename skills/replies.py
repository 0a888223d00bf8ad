"""The neutral reply: a small vocabulary of blocks that each surface renders its own way.

Every reply also carries ``data``: machine-readable results (ids, states, counts) so that scripts
and tests never parse prose.
"""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from skills.commands import Command


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
    depends_on: str | None = None


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
    depends_on: str | None = None


@dataclass(frozen=True)
class DateTimeField:
    """A date and time (ISO 8601 text, in the tenant's timezone when no offset is given)."""

    name: str
    label: str
    value: str | None = None
    required: bool = False
    hint: str = ""
    depends_on: str | None = None


@dataclass(frozen=True)
class ClientPickerField:
    """A client of this tenant, chosen by name with type-ahead where the surface has it."""

    name: str
    label: str
    value: str | None = None
    required: bool = True
    hint: str = ""
    depends_on: str | None = None


@dataclass(frozen=True)
class PersonField:
    """A person of this tenant: a user picker where the surface has one (the value is their
    id), else their id or handle as text."""

    name: str
    label: str
    value: str | None = None
    required: bool = True
    hint: str = ""
    depends_on: str | None = None


FormField = ChoiceField | TextField | DateTimeField | ClientPickerField | PersonField


@dataclass(frozen=True)
class Form:
    """Fields to fill in; submitting puts each value in the field of the same name of ``command``.

    ``errors`` maps a field name to what is wrong with the value given for it; people read it
    beside the field or after its label, never after its name. A field whose ``depends_on``
    names another field matters only for some of that field's values (days overdue, for unpaid
    invoices): the skill leaves it out once that value is known and does not need it, and
    while it is not known a surface asks it after that field, or redraws the form when it
    changes.
    """

    title: str
    fields: tuple[FormField, ...]
    submit_label: str
    command: Command
    errors: Mapping[str, str] = field(default_factory=dict)
    description: str = ""

    def label_of(self, name: str) -> str | None:
        """The label of the field called ``name``, if the form has it."""
        return next((item.label for item in self.fields if item.name == name), None)

    def waits(self, item: FormField) -> bool:
        """Whether ``item`` waits for the field it depends on, which has no valid value yet."""
        if item.depends_on is None:
            return False
        decider = next((other for other in self.fields if other.name == item.depends_on), None)
        return decider is not None and (not decider.value or decider.name in self.errors)

    def deciders(self) -> frozenset[str]:
        """The names of the fields other fields depend on."""
        return frozenset(item.depends_on for item in self.fields if item.depends_on)


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
