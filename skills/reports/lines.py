"""A report as people read it: one line, and with its details and evidence, short or whole.

This is the one rule for what a report shows. The short form (``report_preview``) is what the
managers' ping, the client's card and the history show; the whole form (``report_parts``) is
what ``/client report <report>`` shows (``skills/reports/showing.py``). Both write the details
and each piece of evidence the same way; the short form cuts them to ``PREVIEW_LIMIT`` and
offers a button to the whole report when it left anything out. The reporter is named only to
those who may see the name (``skills/core/access.py``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from skills.commands import ShowReport
from skills.core.access import may_see_reporter
from skills.core.scope import Scope
from skills.replies import Actions, Button, Paragraph
from skills.reports.categories import category
from skills.strikes.labels import severity_label
from skills.strikes.policy import Severity
from skills.text.i18n import Translator
from skills.text.limits import (
    LINK_PREVIEW_LIMIT,
    NAME_PREVIEW_LIMIT,
    PREVIEW_LIMIT,
    PREVIEWS_TEXT_LIMIT,
    REPORTS_PER_MESSAGE,
    clip,
)
from storage.models import Evidence, Incident


def reporter_name(scope: Scope, incident: Incident) -> str:
    """The reporter's name, or "a teammate" for staff who may not see it."""
    if may_see_reporter(scope.tenant, scope.actor, incident.reporter_id):
        return incident.reporter_name
    return scope.t._("a teammate")


def incident_line(scope: Scope, incident: Incident) -> str:
    """``#12 · 20 Nov 2026 · Scope creep · Yellow card · by Ana``, and why it was voided."""
    t = scope.t
    parts = [
        f"#{incident.id}",
        t.date(incident.occurred_at, scope.tenant.timezone),
        category(incident.category).label(t),
        severity_label(t, Severity(incident.severity)),
        t._("by {name}", name=reporter_name(scope, incident)),
    ]
    line = " · ".join(parts)
    if incident.voided_at is not None:
        line += " — " + t._("voided: {reason}", reason=incident.void_reason or "")
    return line


def incident_data(scope: Scope, incident: Incident) -> dict[str, object]:
    """The machine-readable form of a report, with the reporter hidden as the line hides it."""
    visible = may_see_reporter(scope.tenant, scope.actor, incident.reporter_id)
    return {
        "id": incident.id,
        "category": incident.category,
        "severity": incident.severity,
        "occurred_at": incident.occurred_at.isoformat(),
        "reporter": incident.reporter_id if visible else None,
        "voided": incident.voided_at is not None,
    }


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of a report's evidence: the snapshot it was filed with, or evidence added
    later (``added_at`` is then when)."""

    link: str | None
    text: str | None
    author: str | None
    written_at: datetime | None
    added_at: datetime | None = None


def evidence_items(incident: Incident, added: Sequence[Evidence]) -> list[EvidenceItem]:
    """The report's evidence, in order: its snapshot, then what was added (``added`` may hold
    other reports' evidence too)."""
    items = []
    if incident.evidence_link or incident.evidence_text:
        items.append(
            EvidenceItem(
                incident.evidence_link,
                incident.evidence_text,
                incident.evidence_author,
                incident.evidence_written_at,
            )
        )
    items += [
        EvidenceItem(row.link, row.text, row.author, row.written_at, row.added_at)
        for row in added
        if row.incident_id == incident.id
    ]
    return items


async def evidence_of(scope: Scope, incidents: Sequence[Incident]) -> list[Evidence]:
    """The evidence added to these reports after they were filed."""
    if not incidents:
        return []
    return await scope.uow.incidents.evidence_for(
        scope.tenant.id, [incident.id or 0 for incident in incidents]
    )


def _details_text(t: Translator, details: str) -> str:
    """``Details: …``."""
    return t._("Details: {details}", details=details)


def _evidence_text(
    scope: Scope, item: EvidenceItem, *, quote: str | None, author: str | None, link: bool
) -> str:
    """``Evidence: “…”`` (or its link, when nothing was quoted), then who wrote it and when,
    the link, and when it was added: ``quote`` and ``author`` as they are to be shown, and
    ``link`` whether to show the link."""
    t = scope.t
    tz = scope.tenant.timezone
    shown_link = item.link if link else None
    evidence = t.quote(quote) if quote else shown_link or t._("a link too long to show here")
    lines = [t._("Evidence: {evidence}", evidence=evidence)]
    source = []
    if author and item.written_at:
        date = t.date_time(item.written_at, tz)
        source.append(t._("written by {author}, {date}", author=author, date=date))
    elif author:
        source.append(t._("written by {author}", author=author))
    elif item.written_at:
        source.append(t._("written {date}", date=t.date_time(item.written_at, tz)))
    if quote and shown_link:
        source.append(shown_link)
    if item.added_at is not None:
        source.append(t._("added {date}", date=t.date_time(item.added_at, tz)))
    if source:
        lines.append(" · ".join(source))
    return "\n".join(lines)


@dataclass(frozen=True)
class ReportPreview:
    """A report's short form, and whether it left anything out."""

    incident_id: int
    text: str
    clipped: bool


def preview_room(count: int) -> int:
    """The characters a report's details, and its quoted message, may take in a message about
    ``count`` reports: they share ``PREVIEWS_TEXT_LIMIT``, up to ``PREVIEW_LIMIT`` each."""
    return min(PREVIEW_LIMIT, PREVIEWS_TEXT_LIMIT // (2 * max(count, 1)))


def report_preview(
    scope: Scope, incident: Incident, added: Sequence[Evidence], *, room: int = PREVIEW_LIMIT
) -> ReportPreview:
    """The report's line, its details and its first piece of evidence, the details and the
    quoted message cut to ``room`` characters each (``preview_room``)."""
    t = scope.t
    details = _one_line(incident.details)
    lines = [incident_line(scope, incident), _details_text(t, clip(details, room))]
    clipped = len(details) > room
    items = evidence_items(incident, added)
    if items:
        first = items[0]
        quote = _one_line(first.text or "")
        author = first.author or ""
        link = first.link is not None and len(first.link) <= LINK_PREVIEW_LIMIT
        lines.append(
            _evidence_text(
                scope,
                first,
                quote=clip(quote, room),
                author=clip(author, NAME_PREVIEW_LIMIT),
                link=link,
            )
        )
        clipped = clipped or len(quote) > room or len(author) > NAME_PREVIEW_LIMIT
        clipped = clipped or (first.link is not None and not link)
    if len(items) > 1:
        lines.append(
            t.n_(
                "{count} more piece of evidence",
                "{count} more pieces of evidence",
                len(items) - 1,
            )
        )
        clipped = True
    return ReportPreview(incident.id or 0, "\n".join(lines), clipped)


def report_parts(scope: Scope, incident: Incident, added: Sequence[Evidence]) -> list[str]:
    """The whole report's texts, uncut: its details, then each piece of evidence."""
    t = scope.t
    return [_details_text(t, incident.details)] + [
        _evidence_text(scope, item, quote=item.text, author=item.author, link=True)
        for item in evidence_items(incident, added)
    ]


def _whole_report_button(t: Translator, incident_id: int) -> Button:
    """The button to one report in full."""
    return Button(t._("Read report #{id} in full", id=incident_id), ShowReport(str(incident_id)))


def preview_blocks(
    t: Translator, preview: ReportPreview, *, lead: str = ""
) -> list[Paragraph | Actions]:
    """The preview as a paragraph (after ``lead``, such as the history's time), with the button
    to the whole report when it left something out."""
    blocks: list[Paragraph | Actions] = [Paragraph(f"{lead}{preview.text}")]
    if preview.clipped:
        blocks.append(Actions((_whole_report_button(t, preview.incident_id),)))
    return blocks


async def reports_blocks(
    scope: Scope, incidents: Sequence[Incident], *, room: int | None = None
) -> list[Paragraph | Actions]:
    """Reports as a message about several shows them: each one's preview (``room``: what its
    details and quote may take, when the message shows other reports too), at most
    ``REPORTS_PER_MESSAGE`` of them, and how many more the history holds."""
    shown = list(incidents[:REPORTS_PER_MESSAGE])
    added = await evidence_of(scope, shown)
    room = preview_room(len(shown)) if room is None else room
    blocks: list[Paragraph | Actions] = []
    for incident in shown:
        blocks += preview_blocks(scope.t, report_preview(scope, incident, added, room=room))
    more = len(incidents) - len(shown)
    if more:
        blocks.append(
            Paragraph(
                scope.t.n_(
                    "{count} more report is in the history.",
                    "{count} more reports are in the history.",
                    more,
                )
            )
        )
    return blocks


def _one_line(text: str) -> str:
    # A short form reads as one run of text: line breaks and runs of spaces become one space.
    return " ".join(text.split())
