"""The private note staff get when a client's message looks abusive: what matched, and the
report one click away (the message becomes evidence only if someone files it)."""

from skills.commands import ReportIncident
from skills.core.context import Actor
from skills.listening.abuse import Finding
from skills.replies import Actions, Button, ButtonStyle, Paragraph, Reply, ReplyKind
from skills.text.i18n import N_, supported_language, translator

MATCH_LABELS = {
    "threat": N_("threat"),
    "slur": N_("slur"),
    "insult": N_("insult"),
    "profanity": N_("swearing"),
    "target": N_("aimed at"),
}


def abuse_note(
    reader: Actor, default_language: str, author: str, finding: Finding, report: ReportIncident
) -> Reply:
    """The note for ``reader`` (a staff member) about ``author``'s message."""
    t = translator(supported_language(reader.locale) or default_language)
    matched = "; ".join(
        f"{t._(MATCH_LABELS[match.kind])} “{match.text}”" for match in finding.matches
    )
    label = t._("Report as a threat") if finding.category == "threat" else t._("Report as abuse")
    return Reply(
        ReplyKind.RESULT,
        (
            Paragraph(
                t._(
                    "This message from {author} may be abusive ({matched}). Only staff see "
                    "this note.",
                    author=author,
                    matched=matched,
                )
            ),
            Actions((Button(label, report, ButtonStyle.DANGER),)),
        ),
        {"finding": finding.category, "matches": [match.text for match in finding.matches]},
    )
