"""Filing a report about a client (``/report-client``)."""

import dataclasses

from skills.clients.lookup import (
    client_data,
    client_or_suggestions,
    create_client,
    name_error,
)
from skills.clients.search import NEW_CLIENT_PREFIX
from skills.commands import AddEvidence, ReportIncident, UndoReport
from skills.core.scope import Scope
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    Fact,
    Facts,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.reports.categories import Category, category
from skills.reports.form import check_report, report_form
from skills.strikes.apply import Outcome, apply_policy, counted_with, live_state, lock_counted
from skills.strikes.labels import active_strikes_label, severity_label, state_label
from skills.strikes.policy import Severity, default_severity
from skills.suggestions.decision import mark_reported
from skills.text.limits import NAME_LIMIT, clip
from storage.models import Client, EscalationStatus, Incident


async def report_incident(scope: Scope, command: ReportIncident) -> Reply:
    """File the report, apply the strike policy, and say where the client now stands.

    Missing fields come back as a form; unknown clients as suggestions. A repeated
    idempotency key returns the first report's result instead of filing a second one.
    """
    if command.client and command.client.startswith(NEW_CLIENT_PREFIX):
        # A picker's "new client: …" option.
        name = command.client.removeprefix(NEW_CLIENT_PREFIX)
        command = dataclasses.replace(command, client=name, create_client=True)
    # A repeated idempotency key is found by the insert below, not looked up first: a report
    # is filed far more often than it is repeated.
    checked, errors = check_report(scope.t, command, now=scope.now, timezone=scope.tenant.timezone)
    if command.create_client and command.client:
        problem = name_error(scope.t, command.client)
        if problem:
            errors["client"] = problem
            checked = None
    if checked is None:
        return report_form(scope.t, command, errors)

    if command.create_client:
        # A replay of a submission whose client was renamed since: its name is free again,
        # yet the report was filed, and creating a client for it would be a stray.
        replayed = await _replayed(scope, command)
        if replayed is not None:
            return replayed
        client: Client | Reply = await create_client(scope, checked.client)
    else:
        client = await client_or_suggestions(
            scope,
            checked.client,
            retry=lambda name: dataclasses.replace(command, client=name),
            create=dataclasses.replace(command, create_client=True),
        )
    if isinstance(client, Reply):
        # No client has the name: a replay of a report filed before a rename is answered as
        # filed (looked up only now, as a miss is rare).
        return await _replayed(scope, command) or client
    locked, counted = await lock_counted(scope, client.id or 0)

    severity = checked.severity or _default_severity(scope, checked.category, checked.days_overdue)
    incident = Incident(
        tenant_id=scope.tenant.id,
        client_id=locked.id or 0,
        category=checked.category.key,
        severity=severity.value,
        details=checked.details,
        days_overdue=checked.days_overdue,
        occurred_at=checked.occurred_at or scope.now,
        recorded_at=scope.now,
        reporter_id=scope.actor.user_id,
        reporter_name=clip(scope.actor.display_name, NAME_LIMIT),
        idempotency_key=command.idempotency_key,
        evidence_link=checked.evidence.link,
        evidence_text=checked.evidence.text,
        evidence_author=checked.evidence.author,
        evidence_written_at=checked.evidence.written_at,
        evidence_hash=checked.evidence.content_hash,
    )
    stored = await scope.uow.incidents.add(incident)
    if stored is None:
        # The same submission arrived twice at once; the other one filed it.
        await scope.uow.commit()
        replayed = await _replayed(scope, command)
        if replayed is None:
            raise LookupError("an idempotency key clashed, yet no report holds it")
        return replayed
    outcome = await apply_policy(
        scope,
        locked,
        trigger_incident_id=stored.id,
        closing=EscalationStatus.WITHDRAWN,
        counted=counted_with(scope, locked, counted, stored),
    )
    await scope.audit(
        "report.filed",
        subject=("incident", str(stored.id)),
        client_id=locked.id,
        category=stored.category,
        severity=stored.severity,
    )
    await mark_reported(scope, command.idempotency_key, stored)
    await scope.uow.commit()
    return _filed_reply(scope, locked, stored, outcome)


def _default_severity(scope: Scope, entry: Category, days_overdue: int | None) -> Severity:
    override = scope.tenant.severity_overrides.get(entry.key)
    base = Severity(override) if override else entry.severity
    return default_severity(
        base,
        red_when_overdue=entry.red_when_overdue,
        days_overdue=days_overdue,
        policy=scope.policy,
    )


def _filed_reply(scope: Scope, client: Client, incident: Incident, outcome: Outcome) -> Reply:
    t = scope.t
    threshold = scope.policy.threshold
    facts = Facts(
        (
            Fact(t._("Report"), f"#{incident.id}"),
            Fact(t._("Category"), category(incident.category).label(t)),
            Fact(t._("Severity"), severity_label(t, Severity(incident.severity))),
            Fact(t._("State"), state_label(t, outcome.state)),
            Fact(
                t._("Active strikes"),
                active_strikes_label(t, outcome.summary, threshold),
            ),
        )
    )
    blocks: list[Heading | Facts | Paragraph | Actions] = [
        Heading(t._("Report filed about {client}", client=client.name)),
        facts,
    ]
    if outcome.opened:
        blocks.append(
            Paragraph(
                t._(
                    "{client} is now over the threshold. The managers will be notified once, "
                    "with the evidence, to decide what happens next.",
                    client=client.name,
                )
            )
        )
    report = str(incident.id)
    blocks.append(
        Actions(
            (
                Button(t._("Undo"), UndoReport(report), ButtonStyle.DANGER),
                Button(t._("Add evidence"), AddEvidence(report)),
            )
        )
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "incident_id": incident.id,
            "category": incident.category,
            "severity": incident.severity,
            "client": client_data(client, outcome.state, outcome.summary.count, threshold),
            "escalation_id": outcome.escalation_id,
            "escalation_opened": outcome.opened,
            "outbox": [
                {"kind": message.kind, "recipient": message.recipient_id, "key": message.dedupe_key}
                for message in outcome.queued
            ],
            "duplicate": False,
        },
    )


async def _replayed(scope: Scope, command: ReportIncident) -> Reply | None:
    """The answer to a submission filed before (its idempotency key is taken): "already
    filed" to its reporter, a conflict to anyone else; None when no report holds the key."""
    if command.idempotency_key is None:
        return None
    earlier = await scope.uow.incidents.by_idempotency_key(scope.tenant.id, command.idempotency_key)
    if earlier is None:
        return None
    if earlier.reporter_id != scope.actor.user_id:
        return _key_conflict(scope)
    return await _already_filed(scope, earlier)


async def _already_filed(scope: Scope, incident: Incident) -> Reply:
    t = scope.t
    client = await scope.uow.clients.get(scope.tenant.id, incident.client_id)
    assert client is not None, "an incident's client is never deleted while the incident exists"
    state, summary = await live_state(scope, client)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Paragraph(
                t._("This report was already filed as #{id}.", id=incident.id),
            ),
        ),
        data={
            "incident_id": incident.id,
            "category": incident.category,
            "severity": incident.severity,
            "client": client_data(client, state, summary.count, scope.policy.threshold),
            "duplicate": True,
        },
    )


def _key_conflict(scope: Scope) -> Reply:
    # Surfaces derive keys from platform ids; a clash across people means a bug or a forgery.
    return Reply(
        kind=ReplyKind.ERROR,
        blocks=(Paragraph(scope.t._("This submission belongs to another report. Start again.")),),
        data={"error": "idempotency_conflict"},
    )
