"""Neutral replies as Block Kit: messages, modals (forms and results) and the App Home.

Slack rejects a message whose texts are too long; every text is cut to its limit with "…". A
person a reply names (``skills.text.mentions.mention``) is drawn as Slack's mention,
``<@U123>``, which Slack shows with the person's name.
"""

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DateTimePickerElement,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.slack.ids import ActionId, CallbackId
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    ChoiceField,
    ClientPickerField,
    DateTimeField,
    Facts,
    Form,
    FormField,
    Heading,
    Paragraph,
    PersonField,
    Reply,
    TextField,
)
from skills.text.limits import clip
from skills.text.mentions import draw_mentions, is_person_id

# Slack's documented limits.
HEADER = 150
SECTION = 3000
FIELD = 2000
FIELDS_PER_SECTION = 10
BUTTON_TEXT = 75
OPTION_TEXT = 75
OPTION_VALUE = 150
LABEL = 2000
HINT = 2000
TITLE = 24
TEXT_INPUT = 3000
BUTTONS_PER_BLOCK = 25
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100

ButtonValue = Callable[[Button], str]


def message_blocks(reply: Reply, value: ButtonValue, *, limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """The reply as blocks (at most ``limit``); ``value`` gives each button's value."""
    blocks: list[Block] = []
    for block in reply.blocks:
        if isinstance(block, Heading):
            heading = draw_mentions(block.text, lambda person: f"@{person}")  # plain text
            blocks.append(HeaderBlock(text=PlainTextObject(text=clip(heading, HEADER))))
        elif isinstance(block, Paragraph) and block.text:
            blocks.append(SectionBlock(text=_mrkdwn(block.text, SECTION)))
        elif isinstance(block, Facts):
            blocks += _facts(block)
        elif isinstance(block, Actions):
            blocks += _actions(block.buttons, value)
    return blocks[:limit]


def fallback_text(reply: Reply) -> str:
    """The message's top-level ``text``, for notifications and screen readers: escaped as the
    blocks are, since Slack reads mentions such as ``<!channel>`` in it too."""
    return clip(_escape(reply.headline), SECTION)


def form_view(form: Form, private_metadata: str, close: str) -> View:
    """A modal asking for the form's fields.

    Errors found before the modal opened (a wrong category typed in the command) are listed
    on top, each under its field's label; Slack shows field errors only in answer to a
    submission (``inline_errors``). A prefilled text longer than Slack's input allows is shown,
    not made editable, so it reaches the report whole (the parked command keeps it). A field
    that waits for another (days overdue, for the category) is left out until that field has
    a value: changing a field others depend on dispatches an action, and the modal is redrawn.
    """
    blocks: list[Block] = []
    if form.description:
        blocks.append(SectionBlock(text=_mrkdwn(form.description, SECTION)))
    if form.errors:
        listed = "\n\n".join(_error(form, name, message) for name, message in form.errors.items())
        blocks.append(SectionBlock(text=_mrkdwn(listed, SECTION, escaped=True)))
    deciders = form.deciders()
    for field in form.fields:
        if form.waits(field):
            continue
        if _previewed(field):
            preview = f"*{_escape(field.label)}*\n{_escape(field.value or '')}"
            blocks.append(SectionBlock(text=_mrkdwn(preview, SECTION, escaped=True)))
        else:
            decides = field.name in deciders and isinstance(field, ChoiceField)
            blocks.append(_input(field, decides=decides))
    return View(
        type="modal",
        callback_id=CallbackId.FORM.value,
        title=PlainTextObject(text=clip(form.title, TITLE)),
        submit=PlainTextObject(text=clip(form.submit_label, TITLE)),
        close=PlainTextObject(text=clip(close, TITLE)),
        private_metadata=private_metadata,
        blocks=blocks[:VIEW_BLOCKS],
    )


def inline_errors(form: Form) -> dict[str, str] | None:
    """The form's errors by block id, for ``response_action: errors``; None when one of them
    belongs to no input of the modal (a previewed text, a field left out), which Slack would
    refuse: the modal is redrawn with them listed instead."""
    inputs = {
        field.name for field in form.fields if not form.waits(field) and not _previewed(field)
    }
    return dict(form.errors) if set(form.errors) <= inputs else None


def result_view(reply: Reply, title: str, close: str, value: ButtonValue) -> View:
    """A modal showing a reply (what a submitted form led to)."""
    return View(
        type="modal",
        callback_id=CallbackId.RESULT.value,
        title=PlainTextObject(text=clip(title, TITLE)),
        close=PlainTextObject(text=clip(close, TITLE)),
        blocks=message_blocks(reply, value, limit=VIEW_BLOCKS),
    )


def home_view(reply: Reply, value: ButtonValue) -> View:
    """The App Home tab."""
    return View(type="home", blocks=message_blocks(reply, value, limit=VIEW_BLOCKS))


def form_values(state: dict[str, dict[str, dict[str, object]]]) -> dict[str, str | None]:
    """A submitted modal's values by field name (the block id is the field's name)."""
    values: dict[str, str | None] = {}
    for field_name, actions in state.items():
        for action in actions.values():
            values[field_name] = _submitted(action)
    return values


def _submitted(action: dict[str, object]) -> str | None:
    kind = action.get("type")
    if kind in {"static_select", "external_select"}:
        option = action.get("selected_option")
        return str(option["value"]) if isinstance(option, dict) else None
    if kind == "users_select":
        user = action.get("selected_user")
        return str(user) if user else None
    if kind == "datetimepicker":
        stamp = action.get("selected_date_time")
        return datetime.fromtimestamp(int(str(stamp)), UTC).isoformat() if stamp else None
    value = action.get("value")
    return str(value) if value is not None else None


def _error(form: Form, name: str, message: str) -> str:
    """An error under its field's label, as a fact is shown (never the field's name)."""
    label = form.label_of(name)
    return f"*{_escape(label)}*\n{_escape(message)}" if label else _escape(message)


def _previewed(field: FormField) -> bool:
    """A prefilled text too long for Slack's input, shown instead of edited."""
    return isinstance(field, TextField) and len(field.value or "") > _text_limit(field)


def _input(field: FormField, *, decides: bool) -> InputBlock:
    hint = field.hint
    return InputBlock(
        block_id=field.name,
        label=PlainTextObject(text=clip(field.label, LABEL)),
        element=_element(field, decides=decides),
        optional=not field.required,
        hint=PlainTextObject(text=clip(hint, HINT)) if hint else None,
        # A choice other fields depend on tells the app when it changes (block_actions).
        dispatch_action=True if decides else None,
    )


def _element(
    field: FormField,
    *,
    decides: bool,
) -> (
    StaticSelectElement
    | ExternalDataSelectElement
    | PlainTextInputElement
    | DateTimePickerElement
    | UserSelectElement
):
    if isinstance(field, ChoiceField):
        options = [
            Option(
                value=choice.value,
                text=PlainTextObject(text=clip(choice.label, OPTION_TEXT)),
                description=(
                    PlainTextObject(text=clip(choice.description, OPTION_TEXT))
                    if choice.description
                    else None
                ),
            )
            for choice in field.choices
        ]
        initial = next((option for option in options if option.value == field.value), None)
        # The same action id on every redraw, so Slack keeps what was chosen in the modal.
        action_id = f"{ActionId.FORM_FIELD_PREFIX.value}{field.name}" if decides else field.name
        return StaticSelectElement(action_id=action_id, options=options, initial_option=initial)
    if isinstance(field, ClientPickerField):
        initial_client = (
            Option(value=clip(field.value, OPTION_VALUE), text=clip(field.value, OPTION_TEXT))
            if field.value
            else None
        )
        return ExternalDataSelectElement(
            action_id=ActionId.CLIENT_FIELD.value, min_query_length=1, initial_option=initial_client
        )
    if isinstance(field, PersonField):
        return UserSelectElement(action_id=field.name, initial_user=field.value or None)
    if isinstance(field, DateTimeField):
        return DateTimePickerElement(
            action_id=field.name, initial_date_time=_timestamp(field.value)
        )
    return PlainTextInputElement(
        action_id=field.name,
        multiline=field.multiline,
        max_length=_text_limit(field),
        initial_value=field.value or None,
    )


def _text_limit(field: TextField) -> int:
    return min(field.max_length or TEXT_INPUT, TEXT_INPUT)


def _timestamp(value: str | None) -> int | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp())


def _facts(block: Facts) -> list[Block]:
    sections: list[Block] = []
    items = list(block.items)
    for start in range(0, len(items), FIELDS_PER_SECTION):
        chunk = items[start : start + FIELDS_PER_SECTION]
        fields = [
            _mrkdwn(f"*{_escape(f.label)}*\n{_escape(f.value)}", FIELD, escaped=True) for f in chunk
        ]
        sections.append(SectionBlock(fields=fields))
    return sections


def _actions(buttons: Sequence[Button], value: ButtonValue) -> list[Block]:
    elements = [
        ButtonElement(
            action_id=f"{ActionId.BUTTON_PREFIX.value}{index}",
            text=PlainTextObject(text=clip(button.label, BUTTON_TEXT)),
            value=value(button),
            style=None if button.style is ButtonStyle.DEFAULT else button.style.value,
        )
        for index, button in enumerate(buttons)
    ]
    return [
        ActionsBlock(elements=elements[start : start + BUTTONS_PER_BLOCK])
        for start in range(0, len(elements), BUTTONS_PER_BLOCK)
    ]


def _mrkdwn(text: str, limit: int, *, escaped: bool = False) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text if escaped else _escape(text), limit))


_SPECIAL = re.compile(r"[&<>]")


def _escape(text: str) -> str:
    # Slack's mrkdwn needs only these three escaped; a report must never ping @channel. The
    # people a reply names are drawn after, as the only mentions.
    escaped = _SPECIAL.sub(lambda match: {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[match[0]], text)
    return draw_mentions(escaped, _mention)


def _mention(person: str) -> str:
    """Slack's mention of a person; an id Slack would not read as one stays text (escaped
    with the rest)."""
    return f"<@{person}>" if is_person_id("slack", person) else person
