"""Disputes: the account owner objects to a strike; a manager keeps it or voids it.

``/client dispute <report-id> <reason>``. A report can be disputed once. The dispute shows on
the client's card and beside the escalation in every manager's copy of the ping.
"""

from skills.commands import DisputeStrike, ResolveDispute, VoidIncident
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.escalation.lifecycle import client_changed
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    Form,
    Paragraph,
    Reply,
    ReplyKind,
    TextField,
)
from skills.reports.reference import MAX_REASON, report_reference
from skills.reports.voiding import void_incident
from skills.strikes.policy import Severity
from skills.text.i18n import Translator
from skills.text.limits import NAME_LIMIT, clip
from skills.text.numbers import whole_number
from storage.models import Dispute, DisputeStatus


def dispute_line(t: Translator, dispute: Dispute) -> str:
    """``Ana disputes report #12: …``"""
    return t._(
        "{name} disputes report #{id}: {reason}",
        name=dispute.disputed_by_name,
        id=dispute.incident_id,
        reason=dispute.reason,
    )


def dispute_buttons(t: Translator, dispute: Dispute) -> Actions:
    """A manager's answers to an open dispute: keep the strike or void it."""
    return Actions(
        (
            Button(t._("Keep the strike"), ResolveDispute(str(dispute.id), "keep")),
            Button(
                t._("Void the strike"), ResolveDispute(str(dispute.id), "void"), ButtonStyle.DANGER
            ),
        )
    )


async def dispute_strike(scope: Scope, command: DisputeStrike) -> Reply:
    """File the account owner's dispute of a strike, with a reason."""
    t = scope.t
    reference = report_reference(t, command.incident_id, command.reason)
    raw_id, incident_id, reason = reference.raw_id, reference.incident_id, reference.reason
    if not reference.complete or incident_id is None:
        return _dispute_form(scope, command, reference.errors)
    incident = await scope.uow.incidents.get(scope.tenant.id, incident_id)
    if incident is None:
        return _error(t._("There is no report #{id}.", id=raw_id), "unknown_incident")
    client = await scope.uow.clients.get(scope.tenant.id, incident.client_id)
    assert client is not None, "a report's client exists"
    if scope.actor.is_guest or client.owner_id != scope.actor.user_id:
        await scope.audit(
            "strike.dispute", subject=("incident", raw_id), outcome="refused", reason="not_owner"
        )
        await scope.uow.commit()
        text = t._("Only {client}'s account owner can dispute its strikes.", client=client.name)
        return Reply(ReplyKind.REFUSED, (Paragraph(text),), {"refused": "strike.dispute"})
    if incident.voided_at is not None or incident.severity == Severity.NOTE.value:
        return _error(t._("Report #{id} is not a strike.", id=raw_id), "not_a_strike")
    dispute = Dispute(
        tenant_id=scope.tenant.id,
        incident_id=incident_id,
        client_id=client.id or 0,
        reason=reason,
        disputed_by=scope.actor.user_id,
        disputed_by_name=clip(scope.actor.display_name, NAME_LIMIT),
        disputed_at=scope.now,
    )
    if not await scope.uow.disputes.add(dispute):
        return _error(t._("Report #{id} was disputed before.", id=raw_id), "already_disputed")
    await scope.audit("strike.disputed", subject=("incident", raw_id), reason=reason)
    await client_changed(scope, client.id or 0, f"dispute:{dispute.id}")
    await scope.uow.commit()
    text = t._(
        "Your dispute of report #{id} is filed. A manager will keep or void the strike.", id=raw_id
    )
    return Reply(ReplyKind.RESULT, (Paragraph(text),), {"dispute_id": dispute.id})


async def resolve_dispute(scope: Scope, command: ResolveDispute) -> Reply:
    """A manager keeps the disputed strike or voids it; the first answer counts."""
    refused = await require_manager(scope, "dispute.resolve", ("dispute", command.dispute_id))
    if refused:
        return refused
    t = scope.t
    dispute_id = whole_number(command.dispute_id, lowest=1)
    dispute = await scope.uow.disputes.lock(scope.tenant.id, dispute_id) if dispute_id else None
    if dispute is None or command.outcome not in {"keep", "void"}:
        return _error(t._("That message is out of date; open the client's card instead."), "stale")
    if dispute.status != DisputeStatus.OPEN:
        text = t._("This dispute was answered already; nothing was changed.")
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"dispute_id": dispute.id})
    dispute.status = DisputeStatus.KEPT if command.outcome == "keep" else DisputeStatus.VOIDED
    dispute.resolved_by = scope.actor.user_id
    dispute.resolved_at = scope.now
    await scope.uow.disputes.save(dispute)
    await scope.audit(
        "dispute.resolved", subject=("dispute", str(dispute.id)), outcome_chosen=dispute.status
    )
    await client_changed(scope, dispute.client_id, f"dispute:{dispute.id}:{dispute.status}")
    incident = await scope.uow.incidents.get(scope.tenant.id, dispute.incident_id)
    if command.outcome == "void" and incident is not None and incident.voided_at is None:
        reason = t._("Dispute upheld: {reason}", reason=dispute.reason)
        # Voiding commits the dispute's answer with it.
        return await void_incident(
            scope, VoidIncident(str(dispute.incident_id), reason[:MAX_REASON]), allowed=True
        )
    await scope.uow.commit()
    text = (
        t._("Report #{id} stays a strike.", id=dispute.incident_id)
        if dispute.status == DisputeStatus.KEPT
        else t._("Report #{id} was voided already.", id=dispute.incident_id)
    )
    return Reply(ReplyKind.RESULT, (Paragraph(text),), {"dispute_id": dispute.id})


def _dispute_form(scope: Scope, command: DisputeStrike, errors: dict[str, str]) -> Reply:
    t = scope.t
    form = Form(
        title=t._("Dispute a strike"),
        fields=(
            TextField(
                "incident_id",
                t._("Report number"),
                command.incident_id,
                hint=t._("The number shown on the client's card, like 12."),
            ),
            TextField(
                "reason",
                t._("Why the strike is unfair"),
                command.reason,
                multiline=True,
                max_length=MAX_REASON,
                hint=t._("Managers read this before they keep or void the strike."),
            ),
        ),
        submit_label=t._("File the dispute"),
        command=command,
        errors=errors,
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "dispute", "errors": errors})


def _error(text: str, code: str) -> Reply:
    return Reply(kind=ReplyKind.ERROR, blocks=(Paragraph(text),), data={"error": code})
