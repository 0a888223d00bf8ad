"""People named in text: read from what people type (a chat mention such as ``<@U123|ana>`` or
``<@U123>``, or ``@name``), and named in replies (``mention``), for each surface to draw as its
own mention.

A reply names a person with a token: the person's id between two of Unicode's noncharacters,
which the standard keeps for a program's internal use. No keyboard types them, and the input
cleaning removes them from everything people send (``skills/text/input.py``), so nobody can
forge a mention, and its ping, in a report or a name. Slack draws the token as ``<@U123>``,
Teams as a mention entity with the person's name, the shell as ``@id``.
"""

import re
from collections.abc import Callable

_MENTION = re.compile(r"<@([A-Za-z0-9._:-]+)(?:\|[^>]*)?>")
MENTION_OPEN = "\ufdd0"
MENTION_CLOSE = "\ufdd1"
_TOKEN = re.compile(f"{MENTION_OPEN}([^{MENTION_OPEN}{MENTION_CLOSE}]*){MENTION_CLOSE}")


def person_id(text: str) -> str:
    """The id a mention carries, or the text without a leading ``@``."""
    text = text.strip()
    found = _MENTION.fullmatch(text)
    return found.group(1) if found else text.lstrip("@")


def people_ids(text: str) -> list[str]:
    """Every person named in ``text``, mentions and words alike."""
    return [person_id(word) for word in _MENTION.sub(lambda m: f" {m.group(0)} ", text).split()]


# A person's id on each platform: a Slack user id, a Teams person's Microsoft Entra object id.
# Elsewhere (the local shell) any word is a person.
_PERSON_IDS = {
    "slack": re.compile(r"[UW][A-Z0-9_]{2,}"),
    "teams": re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"),
}


def is_person_id(platform: str, text: str) -> bool:
    """Whether ``text`` can be a person's id on ``platform`` (not a name typed instead)."""
    pattern = _PERSON_IDS.get(platform)
    return pattern is None or pattern.fullmatch(text) is not None


def mention(user_id: str) -> str:
    """The person ``user_id`` named in a reply, for each surface to draw as its mention."""
    return f"{MENTION_OPEN}{user_id}{MENTION_CLOSE}"


def mentioned_ids(text: str) -> list[str]:
    """The people ``text`` names with ``mention``, in order, each once."""
    return list(dict.fromkeys(_TOKEN.findall(text)))


def draw_mentions(text: str, draw: Callable[[str], str]) -> str:
    """``text`` with each person it names drawn by ``draw`` (their id in, the surface's
    mention out)."""
    if MENTION_OPEN not in text:
        return text
    return _TOKEN.sub(lambda match: draw(match.group(1)), text)


_CHANNEL = re.compile(r"<#([A-Za-z0-9._:-]+)(?:\|[^>]*)?>")


def channel_ids(text: str) -> list[str]:
    """Every channel named in ``text``: a chat link (``<#C123|support>``) gives its id; a plain
    word is taken as written, without a leading ``#``."""
    spaced = _CHANNEL.sub(lambda m: f" {m.group(0)} ", text)
    ids = []
    for word in spaced.split():
        link = _CHANNEL.fullmatch(word)
        ids.append(link.group(1) if link else word.lstrip("#"))
    return [channel for channel in ids if channel]
