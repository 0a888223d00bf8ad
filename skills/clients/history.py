"""A client's timeline (``/client history <client> [page]``): reports with their details and
evidence, escalations, decisions."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from skills.clients.lookup import client_or_suggestions
from skills.commands import ShowHistory
from skills.core.scope import Scope
from skills.replies import Actions, Heading, Paragraph, Reply, ReplyKind
from skills.reports.lines import evidence_of, preview_blocks, preview_room, report_preview
from skills.strikes.labels import decision_label
from skills.strikes.policy import Decision
from skills.text.i18n import N_
from skills.text.paging import page_controls, page_of
from storage.models import EscalationStatus, Incident

PAGE_SIZE = 10
# A decided escalation shows as its decision; the others say why the client dropped back.
_CLOSING_TEXT: dict[str, str] = {
    EscalationStatus.WITHDRAWN: N_("Back under the threshold after a report was voided"),
    EscalationStatus.EXPIRED: N_("Back under the threshold as strikes expired"),
    EscalationStatus.POLICY_CHANGED: N_("Back under the threshold after the policy changed"),
}


@dataclass(frozen=True)
class _Entry:
    at: datetime
    kind: str
    ref: int | None
    text: str
    # A report's entry shows the report's details and evidence instead of ``text``.
    report: Incident | None = None


async def show_history(scope: Scope, command: ShowHistory) -> Reply:
    """One page of the client's timeline, newest first."""
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: ShowHistory(name, command.page)
    )
    if isinstance(client, Reply):
        return client
    t = scope.t
    tenant_id, client_id = scope.tenant.id, client.id or 0
    entries: list[_Entry] = []
    for incident in await scope.uow.incidents.for_client(tenant_id, client_id):
        entries.append(_Entry(incident.recorded_at, "report", incident.id, "", incident))
        if incident.voided_at is not None:
            text = t._("Report #{id} voided: {reason}", id=incident.id, reason=incident.void_reason)
            entries.append(_Entry(incident.voided_at, "void", incident.id, text))
    for escalation in await scope.uow.escalations.for_client(tenant_id, client_id):
        entries.append(
            _Entry(
                escalation.opened_at,
                "escalation",
                escalation.id,
                t.p_("history event", "Crossed the threshold"),
            )
        )
        closed = _CLOSING_TEXT.get(escalation.status)
        if escalation.closed_at is not None and closed is not None:
            text = t._(closed)
            entries.append(_Entry(escalation.closed_at, escalation.status, escalation.id, text))
    for decision in await scope.uow.escalations.decisions_for(tenant_id, client_id):
        text = t._(
            "Decision: {decision} ({reason})",
            decision=decision_label(t, Decision(decision.kind)),
            reason=decision.reason or "—",
        )
        entries.append(_Entry(decision.decided_at, "decision", decision.id, text))
    entries.sort(key=lambda entry: (entry.at, entry.ref or 0), reverse=True)

    page = page_of(entries, command.page, PAGE_SIZE)
    blocks: list[Heading | Paragraph | Actions] = [
        Heading(t._("History of {client}", client=client.name)),
        *await _entries(scope, page.items),
    ]
    blocks += page_controls(
        t,
        page,
        lambda number: ShowHistory(client.name, number),
        (t._("Newer"), t._("Older")),
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "client_id": client.id,
            "page": page.number,
            "pages": page.count,
            "entries": [
                {"at": entry.at.isoformat(), "kind": entry.kind, "ref": entry.ref}
                for entry in page.items
            ],
        },
    )


async def _entries(scope: Scope, entries: Sequence[_Entry]) -> list[Paragraph | Actions]:
    """The page's entries, each after its time: a report with its details and evidence, cut
    short with a button to the whole report; the other entries one line each, together."""
    t = scope.t
    tz = scope.tenant.timezone
    if not entries:
        return [Paragraph(t._("Nothing recorded yet."))]
    reports = [entry.report for entry in entries if entry.report is not None]
    added = await evidence_of(scope, reports)
    room = preview_room(len(reports))
    blocks: list[Paragraph | Actions] = []
    lines: list[str] = []
    for entry in entries:
        lead = f"{t.date_time(entry.at, tz)} — "
        if entry.report is None:
            lines.append(lead + entry.text)
            continue
        if lines:
            blocks.append(Paragraph("\n".join(lines)))
            lines = []
        preview = report_preview(scope, entry.report, added, room=room)
        blocks += preview_blocks(t, preview, lead=lead)
    if lines:
        blocks.append(Paragraph("\n".join(lines)))
    return blocks
