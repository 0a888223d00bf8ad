"""Managers void a report (``/client void <incident-id> <reason>``); it stays in the history."""

from datetime import timedelta

from skills.clients.lookup import client_data
from skills.commands import UndoReport, VoidIncident
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import Fact, Facts, Form, Heading, Paragraph, Reply, ReplyKind, TextField
from skills.reports.reference import MAX_REASON, report_reference
from skills.strikes.apply import apply_policy, lock_current
from skills.strikes.labels import active_strikes_label, state_label
from skills.text.numbers import whole_number
from storage.models import EscalationStatus

UNDO_WINDOW = timedelta(minutes=5)


async def void_incident(scope: Scope, command: VoidIncident, *, allowed: bool = False) -> Reply:
    """Void the report with a reason and re-apply the policy to its client.

    Managers only, unless the caller already ``allowed`` it (the reporter's undo).
    """
    raw_id = (command.incident_id or "").strip().lstrip("#")
    refused = None if allowed else await require_manager(scope, "report.void", ("incident", raw_id))
    if refused:
        return refused
    t = scope.t
    reference = report_reference(t, command.incident_id, command.reason)
    incident_id, reason = reference.incident_id, reference.reason
    if not reference.complete or incident_id is None:
        return _void_form(scope, command, reference.errors)

    incident = await scope.uow.incidents.get(scope.tenant.id, incident_id)
    if incident is None:
        return _error(scope, t._("There is no report #{id}.", id=raw_id), "unknown_incident")
    client = await lock_current(scope, incident.client_id)
    voided = await scope.uow.incidents.void(
        scope.tenant.id, incident.id or 0, by=scope.actor.user_id, at=scope.now, reason=reason
    )
    if not voided:
        return _error(scope, t._("Report #{id} was already voided.", id=raw_id), "already_voided")
    await scope.audit("report.voided", subject=("incident", raw_id), reason=reason)
    outcome = await apply_policy(scope, client, closing=EscalationStatus.WITHDRAWN)
    await scope.uow.commit()
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Report #{id} voided", id=raw_id)),
            Facts(
                (
                    Fact(t._("Client"), client.name),
                    Fact(t._("State"), state_label(t, outcome.state)),
                    Fact(
                        t._("Active strikes"),
                        active_strikes_label(t, outcome.summary, scope.policy.threshold),
                    ),
                )
            ),
        ),
        data={
            "incident_id": incident.id,
            "client": client_data(
                client, outcome.state, outcome.summary.count, scope.policy.threshold
            ),
        },
    )


def _error(scope: Scope, text: str, code: str) -> Reply:
    return Reply(kind=ReplyKind.ERROR, blocks=(Paragraph(text),), data={"error": code})


def _void_form(scope: Scope, command: VoidIncident, errors: dict[str, str]) -> Reply:
    t = scope.t
    form = Form(
        title=t._("Void a report"),
        fields=(
            TextField("incident_id", t._("Report number"), command.incident_id),
            TextField(
                "reason", t._("Reason"), command.reason, multiline=True, max_length=MAX_REASON
            ),
        ),
        submit_label=t._("Void the report"),
        command=command,
        errors=errors,
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "void", "errors": errors})


async def undo_report(scope: Scope, command: UndoReport) -> Reply:
    """The reporter takes a report back within ``UNDO_WINDOW`` of filing it."""
    t = scope.t
    incident_id = whole_number(command.incident_id.lstrip("#"), lowest=1)
    incident = await scope.uow.incidents.get(scope.tenant.id, incident_id) if incident_id else None
    if incident is None or incident.reporter_id != scope.actor.user_id:
        return _error(
            scope,
            t._("There is no report #{id} of yours.", id=command.incident_id),
            "unknown_incident",
        )
    if scope.now - incident.recorded_at > UNDO_WINDOW:
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        return _error(
            scope,
            t.n_(
                "Reports can be undone for {count} minute. Ask a manager to void #{id}.",
                "Reports can be undone for {count} minutes. Ask a manager to void #{id}.",
                minutes,
                id=incident.id,
            ),
            "undo_expired",
        )
    return await void_incident(
        scope,
        VoidIncident(str(incident.id), t._("Undone by the reporter")),
        allowed=True,
    )
