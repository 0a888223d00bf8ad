"""Slack's escaped command text back to what the person typed.

With ``should_escape`` on (manifests/slack.yaml) Slack sends mentions as ``<@U123|ana>`` and
channels as ``<#C123|support>``: those stay, for the skills to read the ids from. Links arrive as
``<https://…|label>`` and ``&``, ``<``, ``>`` as HTML entities; those are turned back.
"""

import html
import re

_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")


def typed_text(text: str) -> str:
    """The text with links and entities as typed; mentions and channels kept as ids."""
    return html.unescape(_LINK.sub(lambda match: match.group(1), text))
