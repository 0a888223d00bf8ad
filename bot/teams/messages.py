"""A reply as the Teams message that carries it: one Adaptive Card, buttons signed for the
person who will press them, the people it names as mentions."""

from microsoft_agents.activity import Activity, ActivityTypes

from bot.buttons import ButtonCodec
from bot.teams.render import Element, Names, attachment, plain_text, reply_card
from skills.core.context import Actor
from skills.replies import Reply


def card_activity(card: Element, headline: str) -> Activity:
    """A message carrying ``card``, with ``headline`` for notifications."""
    return Activity(type=ActivityTypes.message, attachments=[attachment(card)], summary=headline)


async def reply_activity(codec: ButtonCodec, reply: Reply, reader: Actor, names: Names) -> Activity:
    """The reply as a card message; its buttons act for ``reader``, ``names`` are the names of
    the people it mentions (``bot.teams.people.Names``)."""
    buttons = await codec.values(reply, reader)
    card = reply_card(reply, buttons.__getitem__, names)
    return card_activity(card, plain_text(reply.headline, names))
