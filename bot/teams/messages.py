"""A reply as the Teams message that carries it: one Adaptive Card, buttons signed for the
person who will press them."""

from microsoft_agents.activity import Activity, ActivityTypes

from bot.buttons import ButtonCodec
from bot.teams.render import Element, attachment, reply_card
from skills.core.context import Actor
from skills.replies import Reply


def card_activity(card: Element, headline: str) -> Activity:
    """A message carrying ``card``, with ``headline`` for notifications."""
    return Activity(type=ActivityTypes.message, attachments=[attachment(card)], summary=headline)


async def reply_activity(codec: ButtonCodec, reply: Reply, reader: Actor) -> Activity:
    """The reply as a card message; its buttons act for ``reader``."""
    buttons = await codec.values(reply, reader)
    return card_activity(reply_card(reply, buttons.__getitem__), reply.headline)
