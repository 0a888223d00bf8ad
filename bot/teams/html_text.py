"""Teams message bodies are HTML; evidence keeps what the person read, as plain text."""

import html
import re

_BREAKS = re.compile(r"<\s*(br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(content: str) -> str:
    """The text of a Teams HTML body: line breaks kept, tags dropped, entities decoded."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", content))).strip()
