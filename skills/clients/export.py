"""A client's whole record as JSON (``/client export <client>``), for managers.

In the local shell the record is the reply's ``data`` (``--json`` prints it). In Slack and
Teams it goes to the manager's direct messages as a file, ``<client>-export.json``, through the
outbox, drawn from the database when it is sent (``export_file``). Teams asks the manager to
allow a file first; their answer comes back as ``AnswerFileOffer`` (``answer_file_offer``).
"""

import json
import re
from typing import Any

from sqlmodel import SQLModel

from skills.clients.lookup import client_or_suggestions
from skills.commands import AnswerFileOffer, ExportClient
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.costs.export import export_costs
from skills.outbox.files import OutgoingFile, destination_of
from skills.outbox.messages import MessageKind, queue_accepted_file, queue_export
from skills.replies import Heading, Paragraph, Reply, ReplyKind
from skills.text.i18n import Translator
from skills.text.numbers import whole_number
from storage.models import Client

EXPORT_FORMAT = 1
# What a signal from another system says (docs/api.md); its row's ids and tenant are not.
API_SIGNAL_FIELDS = frozenset(
    {
        "kind",
        "source",
        "external_id",
        "occurred_at",
        "minutes",
        "amount",
        "currency",
        "due_at",
        "invoice_id",
    }
)
MEDIA_TYPE = "application/json"
# The longest stem of a file's name: file systems allow 255 bytes, and a name is typed rarely.
FILENAME_STEM = 80
_WORDS = re.compile(r"\w+")


async def export_client(scope: Scope, command: ExportClient) -> Reply:
    """Everything recorded about the client: reports (voided too), evidence added later,
    assessments, escalations, decisions, queued messages and the audit trail. In the shell the
    JSON is the reply's ``data``; elsewhere it is queued as a file to the manager."""
    refused = await require_manager(scope, "client.export", ("client", command.client))
    if refused:
        return refused
    client = await client_or_suggestions(scope, command.client, retry=ExportClient)
    if isinstance(client, Reply):
        return client
    t = scope.t
    subject = ("client", str(client.id))
    if scope.tenant.platform == "local":
        # The shell has no direct messages: the record is the answer.
        record = await client_record(scope, client)
        await scope.audit("client.exported", subject=subject)
        await scope.uow.commit()
        return Reply(ReplyKind.RESULT, _described(t, client, record), {"export": record})
    queued = await queue_export(scope, client.id or 0)
    await scope.audit("client.exported", subject=subject, outbox_id=queued.id)
    await scope.uow.commit()
    text = t._(
        "The export of {client} is on its way to you in a direct message, as a JSON file.",
        client=client.name,
    )
    return Reply(ReplyKind.RESULT, (Paragraph(text),), {"outbox_id": queued.id})


async def export_file(scope: Scope, client_id: int) -> tuple[Reply, OutgoingFile] | None:
    """The client's export as it is now, as a file with the message that introduces it; None
    when the client is gone (forgotten since it was asked for)."""
    client = await scope.uow.clients.get(scope.tenant.id, client_id)
    if client is None:
        return None
    record = await client_record(scope, client)
    t = scope.t
    content = json.dumps(record, ensure_ascii=False, indent=2).encode()
    title = t._("Export of {client}", client=client.name)
    file = OutgoingFile(content, export_filename(client.name), title, MEDIA_TYPE)
    return Reply(ReplyKind.RESULT, _described(t, client, record)), file


def export_filename(name: str) -> str:
    """``Acme-Corp-export.json``: the client's name in words (any script) joined by dashes."""
    stem = "-".join(_WORDS.findall(name))[:FILENAME_STEM].strip("-") or "client"
    return f"{stem}-export.json"


async def answer_file_offer(scope: Scope, command: AnswerFileOffer) -> Reply:
    """The manager's answer to an export offered as a file: allowed, it is queued to go where
    the platform said (nothing to say meanwhile: the file follows); declined, nothing goes.
    Only the person it was offered to answers it, and only while they are a manager."""
    t = scope.t
    offer_id = whole_number(command.offer, lowest=1)
    offer = await scope.uow.outbox.in_tenant(scope.tenant.id, offer_id) if offer_id else None
    if (
        offer is None
        or offer.kind != MessageKind.CLIENT_EXPORT
        or offer.recipient_id != scope.actor.user_id
        or destination_of(offer.payload) is not None
        or (command.accepted and not command.destination)
    ):
        text = t._("That file is out of date. Ask for the export again.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "unknown_offer"})
    client_id = int(offer.payload["client_id"])
    subject = ("client", str(client_id))
    refused = await require_manager(scope, "client.export", subject)
    if refused:
        return refused
    client = await scope.uow.clients.get(scope.tenant.id, client_id)
    if client is None:
        text = t._("That client was forgotten; there is nothing to send.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "forgotten"})
    if not command.accepted:
        await scope.audit("client.export_declined", subject=subject, outbox_id=offer.id)
        await scope.uow.commit()
        text = t._(
            "You declined the export of {client}: nothing was saved. Ask for it again "
            "whenever you need it.",
            client=client.name,
        )
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"declined": offer.id})
    if await queue_accepted_file(scope, offer, dict(command.destination)):
        await scope.audit("client.export_accepted", subject=subject, outbox_id=offer.id)
    await scope.uow.commit()
    return Reply(ReplyKind.RESULT, (), {"accepted": offer.id})


async def client_record(scope: Scope, client: Client) -> dict[str, Any]:
    """Everything recorded about the client, as JSON-ready data."""
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
    api_signals = await uow.signals.for_client(tenant_id, client_id)
    return {
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
        "api_signals": [
            row.model_dump(mode="json", include=set(API_SIGNAL_FIELDS)) for row in api_signals
        ],
        "costs": await export_costs(scope, client),
    }


def _described(t: Translator, client: Client, record: dict[str, Any]) -> tuple[Heading, Paragraph]:
    """The export's title and what it holds."""
    # One plural per count: a language inflects each noun by its own number. Apart from the
    # sentence: Babel's extractor misses a message inside another call inside a message's call.
    counts = (
        t.n_("{count} report", "{count} reports", len(record["incidents"])),
        t.n_("{count} escalation", "{count} escalations", len(record["escalations"])),
        t.n_(
            "{count} ticket, touch point or invoice from other systems",
            "{count} tickets, touch points and invoices from other systems",
            len(record["api_signals"]),
        ),
        t.n_("{count} audit event", "{count} audit events", len(record["audit"])),
    )
    return (
        Heading(t._("Export of {client}", client=client.name)),
        Paragraph(t._("The export holds {counts}.", counts=t.list_of(counts))),
    )


def _plain(row: SQLModel) -> dict[str, Any]:
    return row.model_dump(mode="json")
