"""A client's whole record as JSON (``/client export <client>``), for managers."""

from typing import Any

from sqlmodel import SQLModel

from skills.clients.lookup import client_or_suggestions
from skills.commands import ExportClient
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import Heading, Paragraph, Reply, ReplyKind

EXPORT_FORMAT = 1


async def export_client(scope: Scope, command: ExportClient) -> Reply:
    """Everything recorded about the client: reports (voided too), evidence added later,
    assessments, escalations, decisions, queued messages and the audit trail. The JSON is the
    reply's ``data``."""
    refused = await require_manager(scope, "client.export", ("client", command.client))
    if refused:
        return refused
    client = await client_or_suggestions(scope, command.client, retry=ExportClient)
    if isinstance(client, Reply):
        return client
    uow, tenant_id, client_id = scope.uow, scope.tenant.id, client.id or 0
    incidents = await uow.incidents.for_client(tenant_id, client_id)
    escalations = await uow.escalations.for_client(tenant_id, client_id)
    decisions = await uow.escalations.decisions_for(tenant_id, client_id)
    evidence = await uow.incidents.evidence_for(tenant_id, [row.id or 0 for row in incidents])
    assessments = await uow.assessments.latest(tenant_id, client_id, limit=None)
    audit = await uow.audit.for_subject(tenant_id, "client", str(client_id))
    for incident in incidents:
        audit += await uow.audit.for_subject(tenant_id, "incident", str(incident.id))
    outbox = []
    for escalation in escalations:
        audit += await uow.audit.for_subject(tenant_id, "escalation", str(escalation.id))
        outbox += await uow.outbox.with_key_prefix(tenant_id, f"escalation:{escalation.id}:")
    audit.sort(key=lambda event: (event.at, event.id or 0))
    signals = await uow.listening.signals(tenant_id, client_id)
    await scope.audit("client.exported", subject=("client", str(client_id)))
    await uow.commit()
    record = {
        "format": EXPORT_FORMAT,
        "exported_at": scope.now.isoformat(),
        "client": _plain(client),
        "incidents": [_plain(row) for row in incidents],
        "evidence": [_plain(row) for row in evidence],
        "assessments": [_plain(row) for row in assessments],
        "escalations": [_plain(row) for row in escalations],
        "decisions": [_plain(row) for row in decisions],
        "outbox": [_plain(row) for row in outbox],
        "audit": [_plain(row) for row in audit],
        "signals": [_plain(row) for row in signals],
    }
    t = scope.t
    # One plural per count: a language inflects each noun by its own number. Apart from the
    # sentence: Babel's extractor misses a message inside another call inside a message's call.
    counts = (
        t.n_("{count} report", "{count} reports", len(incidents)),
        t.n_("{count} escalation", "{count} escalations", len(escalations)),
        t.n_("{count} audit event", "{count} audit events", len(audit)),
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Export of {client}", client=client.name)),
            Paragraph(t._("The export holds {counts}.", counts=t.list_of(counts))),
        ),
        data={"export": record},
    )


def _plain(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json")
