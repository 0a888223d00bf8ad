"""The private note staff get when a client's message looks abusive: what matched, and the
report one click away (the message becomes evidence only if someone files it).

Slack shows it at once, as an ephemeral message to the staff in the channel; Teams has no such
message, so its notes go to the managers' one-to-one chats through the outbox
(``queue_notes_to_managers``), and are drawn from the row when they are sent.
"""

from typing import Any

from skills.commands import ReportIncident, command_from_dict, command_to_dict
from skills.core.context import Actor, Services, system_actor
from skills.core.scope import open_scope
from skills.listening.abuse import Finding, Match
from skills.listening.hearing import HeardMessage
from skills.outbox.conversations import reachable_people
from skills.outbox.messages import queue_abuse_notes
from skills.replies import Actions, Button, ButtonStyle, Paragraph, Reply, ReplyKind
from skills.text.i18n import N_, supported_language, translator
from skills.text.limits import clip

# What matched, with the matched words as {term}: a language puts them where it needs them.
MATCH_LABELS = {
    "threat": N_("threat {term}"),
    "slur": N_("slur {term}"),
    "insult": N_("insult {term}"),
    "profanity": N_("swearing {term}"),
    "target": N_("aimed at {term}"),
    "shouted": N_("in capitals {term}"),
}
# The note's button carries the start of the message (and its link): enough to file it, small
# enough to stay inside the signed button instead of the database.
NOTE_EVIDENCE = 300
# What a queued note keeps of the message until it is settled (sent, or given up on).
MESSAGE_FIELDS = ("author", "finding", "report")


def abuse_note(
    reader: Actor, default_language: str, author: str, finding: Finding, report: ReportIncident
) -> Reply:
    """The note for ``reader`` (a staff member) about ``author``'s message."""
    t = translator(supported_language(reader.locale) or default_language)
    matched = t.list_of(
        t._(MATCH_LABELS[match.kind], term=t.quote(match.text)) for match in finding.matches
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


def report_for(
    message: HeardMessage,
    client_id: int,
    finding: Finding,
    author: str,
    *,
    link: str | None = None,
) -> ReportIncident:
    """The report the note offers: the client, the category the finding suggests, and the
    message (its start, its author, its time, its ``link``) as evidence."""
    return ReportIncident(
        client=f"client-id:{client_id}",
        category=finding.category,
        evidence_link=link,
        evidence_text=clip(message.text, NOTE_EVIDENCE),
        evidence_author=author,
        evidence_written_at=message.at.isoformat(),
    )


async def queue_notes_to_managers(
    services: Services,
    message: HeardMessage,
    client_id: int,
    finding: Finding,
    author: str,
    language: str,
) -> int:
    """Queue the note to each manager the bot has a one-to-one chat with (a manager it cannot
    reach privately gets none), with an audit event, in one transaction; how many were queued.

    ``language`` is the note's language for readers whose own is unknown. Each note is queued
    once per heard message and manager, however often the message is delivered.
    """
    async with open_scope(services, system_actor(message.tenant_id)) as scope:
        tenant = scope.tenant
        recipients = await reachable_people(scope.uow, tenant.id, list(tenant.manager_ids))
        report = report_for(message, client_id, finding, author)
        payload = {
            "client_id": client_id,
            "language": language,
            "author": author,
            "finding": {
                "category": finding.category,
                "language": finding.language,
                "matches": [[match.kind, match.text] for match in finding.matches],
            },
            "report": command_to_dict(report),
        }
        queued = await queue_abuse_notes(
            scope, recipients, client_id=client_id, event_id=message.event_id, payload=payload
        )
        # Never the message's words: the category, where, and how many were told.
        await scope.audit(
            "abuse.flagged",
            subject=("client", str(client_id)),
            category=finding.category,
            channel=message.channel_id,
            notes=len(queued),
        )
        await scope.uow.commit()
        return len(queued)


def queued_note(reader: Actor, payload: dict[str, Any]) -> Reply:
    """The note ``queue_notes_to_managers`` queued, as ``reader`` sees it."""
    found = payload["finding"]
    finding = Finding(
        category=str(found["category"]),
        matches=tuple(Match(str(kind), str(text)) for kind, text in found["matches"]),
        language=str(found["language"]),
    )
    report = command_from_dict(payload["report"])
    if not isinstance(report, ReportIncident):
        raise ValueError("an abuse note offers a report")
    return abuse_note(reader, str(payload["language"]), str(payload["author"]), finding, report)


def without_message(payload: dict[str, Any]) -> dict[str, Any]:
    """A settled note's payload: the message's words are not kept once the note went out (or
    never will); only what it was about."""
    return {key: value for key, value in payload.items() if key not in MESSAGE_FIELDS}
