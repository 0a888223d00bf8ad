"""Neutral replies as Adaptive Cards 1.5 (the version Teams documents): facts, buttons, forms.

A button is an ``Action.Submit`` whose data carries its signed command (``yc_button``); a form's
submit carries the id of its parked command (``yc_form``), and Teams sends the inputs beside it.
Errors are shown under their inputs in red, and every input keeps what was typed.

A person a reply names (``skills.text.mentions.mention``) is a Teams mention: ``<at>Name</at>``
in the text, and a ``mention`` entity in the card's ``msteams.entities`` carrying their Microsoft
Entra object id and name (Teams accepts the object id in a bot's card mentions). Teams needs the
name; a person whose name is not known is written as their id, without a mention.

A card cannot change as a choice on it changes (Teams sends nothing until a button is pressed),
so a field that waits for another (days overdue, for the category) is left off the card and
named in the submit's data (``yc_later``): once submitted, the card comes back with it if the
choice made it needed (a second step, for unpaid invoices only).
"""

import base64
import io
from collections.abc import Callable, Mapping
from typing import Any

from PIL import Image

from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    ChoiceField,
    Facts,
    Form,
    FormField,
    Heading,
    Paragraph,
    Reply,
    TextField,
)
from skills.summary.chart import Chart
from skills.text.limits import clip
from skills.text.mentions import draw_mentions, mentioned_ids

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
BUTTON_DATA = "yc_button"
FORM_DATA = "yc_form"
LATER_DATA = "yc_later"
# Teams refuses messages over about 28 KB; a card's texts are kept well under it.
TEXT_LIMIT = 4000
TITLE_LIMIT = 200
# Characters of an inline image: room under Teams' message limit (about 28 KB) for the rest.
IMAGE_BUDGET = 20_000

ButtonValue = Callable[[Button], str]
Element = dict[str, Any]
# People's display names by Entra object id, for the mentions of a card.
Names = Mapping[str, str]
_STYLES = {ButtonStyle.PRIMARY: "positive", ButtonStyle.DANGER: "destructive"}


def reply_card(reply: Reply, value: ButtonValue, names: Names) -> Element:
    """The reply as a card; ``value`` gives each button's signed value, ``names`` the names of
    the people it mentions."""
    mentions = _Mentions(names)
    body: list[Element] = []
    for block in reply.blocks:
        if isinstance(block, Heading):
            body.append(_text(mentions.draw(block.text), size="Large", weight="Bolder"))
        elif isinstance(block, Paragraph) and block.text:
            body.append(_text(mentions.draw(block.text)))
        elif isinstance(block, Facts):
            facts = [
                {
                    "title": clip(mentions.draw(item.label), TITLE_LIMIT),
                    "value": clip(mentions.draw(item.value), TEXT_LIMIT),
                }
                for item in block.items
            ]
            body.append({"type": "FactSet", "facts": facts})
        elif isinstance(block, Actions):
            body.append(_action_set([_submit(button, value) for button in block.buttons]))
    card = _card(body)
    if mentions.entities:
        card["msteams"] = {"entities": mentions.entities}
    return card


def people_in(reply: Reply) -> list[str]:
    """Everyone the reply mentions (where cards show mentions: texts and facts)."""
    texts: list[str] = []
    for block in reply.blocks:
        if isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, Facts):
            texts += [text for item in block.items for text in (item.label, item.value)]
    return mentioned_ids("\n".join(texts))


def plain_text(text: str, names: Names) -> str:
    """``text`` where no mention can be drawn (a notification's line, a dialog's message): a
    person is ``@`` and their name, or their id."""
    return draw_mentions(text, lambda person: f"@{names.get(person) or person}")


class _Mentions:
    """Draws the people a card names, collecting the entities Teams needs for them."""

    def __init__(self, names: Names) -> None:
        self._names = names
        self.entities: list[Element] = []

    def draw(self, text: str) -> str:
        return draw_mentions(text, self._mention)

    def _mention(self, person: str) -> str:
        name = self._names.get(person)
        if not name:
            return person
        # The name is Teams' own, but an angle bracket in it would end the tag.
        shown = "<at>{}</at>".format(name.replace("<", "").replace(">", ""))
        entity = {"type": "mention", "text": shown, "mentioned": {"id": person, "name": name}}
        if entity not in self.entities:
            self.entities.append(entity)
        return shown


def chart_card(chart: Chart) -> Element:
    """A chart as a card: the image inline (a data URL, in 32 colours to keep it small), with
    its alt text; only the title and the alt text when even that would not fit in a message."""
    url = "data:image/png;base64," + base64.b64encode(_compact(chart.png)).decode()
    if len(url) > IMAGE_BUDGET:
        return _card([_text(chart.title, weight="Bolder"), _text(chart.alt_text)])
    return _card([{"type": "Image", "url": url, "altText": chart.alt_text}])


def _compact(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        palette = image.convert("RGB").quantize(colors=32)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def form_card(form: Form, parked_id: str) -> Element:
    """A card asking for the form's fields, with their errors, submitting to ``parked_id``."""
    body: list[Element] = [_text(form.title, size="Large", weight="Bolder")]
    if form.description:
        body.append(_text(form.description))
    for field in (field for field in form.fields if not form.waits(field)):
        body.append(_input(field))
        error = form.errors.get(field.name)
        if error:
            body.append(_text(error, color="Attention", spacing="None"))
    data: Element = {FORM_DATA: parked_id}
    later = [field.name for field in form.fields if form.waits(field)]
    if later:
        data[LATER_DATA] = ",".join(later)
    submit = {
        "type": "Action.Submit",
        "title": clip(form.submit_label, TITLE_LIMIT),
        "style": "positive",
        "data": data,
    }
    body.append(_action_set([submit]))
    return _card(body)


def attachment(card: Element) -> dict[str, Any]:
    """The card as a message attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def submitted_values(data: dict[str, Any]) -> dict[str, str | None]:
    """A card's submitted inputs by field name (everything but Yellowcard's own keys)."""
    return {
        name: (str(value) if value not in (None, "") else None)
        for name, value in data.items()
        if name not in {BUTTON_DATA, FORM_DATA, LATER_DATA, "msteams"}
    }


def left_for_later(data: dict[str, Any]) -> frozenset[str]:
    """The fields a submitted card left off, waiting for another field's value."""
    return frozenset(filter(None, str(data.get(LATER_DATA) or "").split(",")))


def _card(body: list[Element]) -> Element:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }


def _text(text: str, **style: str) -> Element:
    return {"type": "TextBlock", "text": clip(text, TEXT_LIMIT), "wrap": True, **style}


def _action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def _submit(button: Button, value: ButtonValue) -> Element:
    action: Element = {
        "type": "Action.Submit",
        "title": clip(button.label, TITLE_LIMIT),
        "data": {BUTTON_DATA: value(button)},
    }
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    return action


def _input(field: FormField) -> Element:
    common: Element = {
        "id": field.name,
        "label": clip(field.label, TITLE_LIMIT),
        "isRequired": field.required,
    }
    if field.hint:
        common["placeholder"] = clip(field.hint, TITLE_LIMIT)
    if isinstance(field, ChoiceField):
        choices = [
            {"title": clip(choice.label, TITLE_LIMIT), "value": choice.value}
            for choice in field.choices
        ]
        element: Element = {"type": "Input.ChoiceSet", "style": "compact", "choices": choices}
        if field.value:
            element["value"] = field.value
        return {**element, **common}
    element = {"type": "Input.Text"}
    if isinstance(field, TextField):
        element["isMultiline"] = field.multiline
        if field.max_length:
            element["maxLength"] = field.max_length
    if field.value:
        element["value"] = field.value
    return {**element, **common}
