"""One report in full (``/client report <report> [page]``): every word of its details and every
piece of its evidence, for anyone on the staff, with the reporter hidden as everywhere else.

The ping, the card and the history show reports cut short and offer this as "Read report #12
in full". A quoted message can be long (40,000 characters), so the report is split into
paragraphs and pages that every surface shows whole (``skills/text/limits.py``).
"""

from skills.commands import ShowReport
from skills.core.scope import Scope
from skills.replies import Block, Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.reports.categories import category
from skills.reports.lines import evidence_items, incident_data, report_parts, reporter_name
from skills.strikes.labels import severity_label
from skills.strikes.policy import Severity
from skills.text.limits import PARAGRAPH_LIMIT, REPLY_PARAGRAPHS, REPLY_TEXT_LIMIT, split
from skills.text.numbers import whole_number
from skills.text.paging import page_controls, page_of
from storage.models import Incident


async def show_report(scope: Scope, command: ShowReport) -> Reply:
    """One page of the whole report; an unknown report, or another workspace's, is an error."""
    t = scope.t
    number = whole_number(command.incident_id.strip().lstrip("#"), lowest=1)
    incident = await scope.uow.incidents.get(scope.tenant.id, number) if number else None
    client = await scope.uow.clients.get(scope.tenant.id, incident.client_id) if incident else None
    if incident is None or client is None:
        return Reply(
            kind=ReplyKind.ERROR,
            blocks=(Paragraph(t._("There is no report #{id}.", id=command.incident_id)),),
            data={"error": "unknown_incident"},
        )
    added = await scope.uow.incidents.evidence_for(scope.tenant.id, [incident.id or 0])
    pages = _pages(
        [
            piece
            for part in report_parts(scope, incident, added)
            for piece in split(part, PARAGRAPH_LIMIT)
        ]
    )
    page = page_of(pages, command.page, 1)
    blocks: list[Block] = [
        Heading(t._("Report #{id} about {client}", id=incident.id, client=client.name))
    ]
    if page.number == 1:
        blocks.append(_facts(scope, incident))
    blocks += [Paragraph(text) for text in page.items[0]]
    blocks += page_controls(
        t,
        page,
        lambda number: ShowReport(str(incident.id), number),
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "incident_id": incident.id,
            "client_id": client.id,
            "report": incident_data(scope, incident),
            "evidence": len(evidence_items(incident, added)),
            "page": page.number,
            "pages": page.count,
        },
    )


def _facts(scope: Scope, incident: Incident) -> Facts:
    t = scope.t
    tz = scope.tenant.timezone
    facts = [
        Fact(t._("Category"), category(incident.category).label(t)),
        Fact(t._("Severity"), severity_label(t, Severity(incident.severity))),
        Fact(t._("When it happened"), t.date_time(incident.occurred_at, tz)),
        Fact(
            t._("Filed"),
            t._(
                "{date}, by {name}",
                date=t.date_time(incident.recorded_at, tz),
                name=reporter_name(scope, incident),
            ),
        ),
    ]
    if incident.days_overdue is not None:
        facts.append(Fact(t._("Days the invoice is overdue"), t.number(incident.days_overdue)))
    if incident.voided_at is not None:
        facts.append(
            Fact(
                t._("Voided"),
                t._(
                    "{date}: {reason}",
                    date=t.date_time(incident.voided_at, tz),
                    reason=incident.void_reason or "",
                ),
            )
        )
    return Facts(tuple(facts))


def _pages(pieces: list[str]) -> list[list[str]]:
    """The pieces in order, as many to a page as fit in one reply."""
    pages: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        page = pages[-1]
        if page and (size + len(piece) > REPLY_TEXT_LIMIT or len(page) == REPLY_PARAGRAPHS):
            pages.append(page := [])
            size = 0
        page.append(piece)
        size += len(piece)
    return pages
