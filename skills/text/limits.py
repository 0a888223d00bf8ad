"""Keeping text within what stores it and what shows it: the columns that hold text from
platforms, and the room a reply's text has on every surface."""

ELLIPSIS = "…"
# Person and author names are stored in columns of this size.
NAME_LIMIT = 200
# A client's name and its lookup key are stored in columns of this size (storage.models.Client).
CLIENT_NAME_LIMIT = 200

# What a reply may hold, on every surface. Slack takes 3,000 characters in a section's text
# (after "&", "<" and ">" are escaped, which lengthens them), 50 blocks in a message and 100 in
# a modal or the App Home (bot/slack/render.py). Teams takes about 28 KB in a whole message, and
# the Bot Framework sends a card as JSON with every non-ASCII character escaped: a Japanese or
# Chinese character takes six bytes, so a message holds fewer than 4,500 of them.
#
# Characters of one paragraph: longer text is split into several.
PARAGRAPH_LIMIT = 1800
# Characters of report text in one reply: more goes on the next page.
REPLY_TEXT_LIMIT = 3600
# Paragraphs of report text in one reply, leaving blocks for a heading, facts and buttons.
REPLY_PARAGRAPHS = 20
# A report's details, or its quoted message, as a message about reports shows it at most.
PREVIEW_LIMIT = 200
# What the details and quoted messages of all the reports in one message share.
PREVIEWS_TEXT_LIMIT = 2400
# A name (a quoted message's author) as a message about reports shows it.
NAME_PREVIEW_LIMIT = 40
# A link is shown whole or not at all: a cut link leads nowhere. Teams' links run long.
LINK_PREVIEW_LIMIT = 600
# Reports shown with their evidence in one message; the rest are counted.
REPORTS_PER_MESSAGE = 8


def clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, broken after a line where one ends in
    the piece's last quarter, else after a word, else anywhere (Japanese has no spaces)."""
    pieces: list[str] = []
    while len(text) > limit:
        enough = limit * 3 // 4
        cut = next(
            (
                end + 1
                for end in (text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
                if end + 1 >= enough
            ),
            limit,
        )
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    return [*pieces, text] if text or not pieces else pieces
