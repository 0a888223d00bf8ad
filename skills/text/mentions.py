"""People named in command text: a chat mention (``<@U123|ana>``, ``<@U123>``) or ``@name``."""

import re

_MENTION = re.compile(r"<@([A-Za-z0-9._:-]+)(?:\|[^>]*)?>")


def person_id(text: str) -> str:
    """The id a mention carries, or the text without a leading ``@``."""
    text = text.strip()
    mention = _MENTION.fullmatch(text)
    return mention.group(1) if mention else text.lstrip("@")


def people_ids(text: str) -> list[str]:
    """Every person named in ``text``, mentions and words alike."""
    return [person_id(word) for word in _MENTION.sub(lambda m: f" {m.group(0)} ", text).split()]


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
