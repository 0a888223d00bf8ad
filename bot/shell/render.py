"""Neutral replies as terminal text; a person a reply names is written ``@id``."""

from skills.replies import Actions, Facts, Form, Heading, Paragraph, Reply
from skills.text.i18n import Translator
from skills.text.mentions import draw_mentions


def render_text(reply: Reply, t: Translator) -> str:
    """The reply as lines of text; buttons are numbered so the shell can offer them."""
    lines: list[str] = []
    # Buttons are numbered across the reply, as the session offers them.
    numbered = 0
    for block in reply.blocks:
        if isinstance(block, Heading):
            lines.append(f"== {block.text} ==")
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Facts):
            width = max((len(fact.label) for fact in block.items), default=0)
            lines += [f"  {fact.label.ljust(width)}  {fact.value}" for fact in block.items]
        elif isinstance(block, Actions):
            first = numbered + 1
            lines.append("  ".join(f"[{n}] {b.label}" for n, b in enumerate(block.buttons, first)))
            numbered += len(block.buttons)
        elif isinstance(block, Form):
            lines.append(f"== {block.title} ==")
            if block.description:
                lines.append(block.description)
            missing = [f.label for f in block.fields if f.required and not f.value]
            if missing:
                lines.append(t._("Still needed: {fields}", fields=t.list_of(missing)))
            lines += [
                "  " + labelled(t, block.label_of(name), error)
                for name, error in block.errors.items()
            ]
    for message in reply.data.get("outbox", []):
        lines.append(
            t._(
                "→ queued for {recipient}: {kind}",
                recipient=message["recipient"],
                kind=message["kind"],
            )
        )
    return with_mentions("\n".join(lines))


def with_mentions(text: str) -> str:
    """``text`` with each person a reply names written ``@id`` (text, or a reply's JSON)."""
    return draw_mentions(text, lambda person: f"@{person}")


def labelled(t: Translator, label: str | None, message: str) -> str:
    """What is wrong with a field, after the field's label as people read it (never the
    field's internal name: an error for a field the form does not show stands alone)."""
    return t._("{field}: {error}", field=label, error=message) if label else message
