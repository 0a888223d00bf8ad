"""Managers record a decision on a client (``/client decide <client> [decision] [reason]``)."""

import dataclasses

from skills.clients.lookup import client_data, client_or_suggestions
from skills.commands import RecordDecision
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.escalation.card import escalation_status
from skills.replies import (
    Choice,
    ChoiceField,
    ClientPickerField,
    Fact,
    Facts,
    Form,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    TextField,
)
from skills.strikes.apply import apply_policy, lock_current
from skills.strikes.labels import decision_label, state_label
from skills.strikes.policy import Decision
from skills.text.limits import NAME_LIMIT, clip
from skills.text.numbers import whole_number
from storage.models import Decision as DecisionRow
from storage.models import EscalationStatus

MAX_REASON = 1000


async def record_decision(scope: Scope, command: RecordDecision) -> Reply:
    """Record the decision, close the open escalation and change the client's state.

    Clearing strikes needs a reason; every decision is audited.
    """
    refused = await require_manager(scope, "decision.record", ("client", command.client or ""))
    if refused:
        return refused
    t = scope.t
    errors: dict[str, str] = {}
    decision = _decision(command.decision)
    if command.decision and decision is None:
        errors["decision"] = t._(
            "Decide one of: {valid}.", valid=t.one_of(choice.value for choice in Decision)
        )
    reason = (command.reason or "").strip()
    if decision is Decision.CLEARED and not reason:
        errors["reason"] = t._("Clearing strikes needs a reason.")
    if len(reason) > MAX_REASON:
        errors["reason"] = t.n_(
            "A reason can be at most {count} character.",
            "A reason can be at most {count} characters.",
            MAX_REASON,
        )
    if errors or not command.client or decision is None:
        return _decision_form(scope, command, errors)

    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(client, Reply):
        return client
    locked = await lock_current(scope, client.id or 0)
    escalation = await scope.uow.escalations.open_for(scope.tenant.id, locked.id or 0)
    answered = await _answered_already(scope, command, locked.id or 0)
    if answered is not None:
        return answered
    row = await scope.uow.escalations.add_decision(
        DecisionRow(
            tenant_id=scope.tenant.id,
            client_id=locked.id or 0,
            escalation_id=escalation.id if escalation else None,
            kind=decision.value,
            reason=reason,
            decided_by=scope.actor.user_id,
            decided_by_name=clip(scope.actor.display_name, NAME_LIMIT),
            decided_at=scope.now,
        )
    )
    locked.last_decision = decision.value
    locked.last_decision_at = scope.now
    if decision is Decision.CLEARED:
        locked.strikes_reset_at = scope.now
    await scope.uow.clients.save(locked)
    await scope.audit(
        "decision.recorded",
        subject=("client", str(locked.id)),
        decision=decision.value,
        reason=reason,
        escalation_id=row.escalation_id,
    )
    # The decision takes the client off the threshold: apply_policy closes the escalation as
    # decided, which updates every manager's copy (lifecycle.close_escalation).
    outcome = await apply_policy(scope, locked, closing=EscalationStatus.DECIDED)
    await scope.uow.commit()
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Decision recorded for {client}", client=locked.name)),
            Facts(
                (
                    Fact(t._("Decision"), decision_label(t, decision)),
                    Fact(t._("State"), state_label(t, outcome.state)),
                    Fact(t._("Reason"), reason or "—"),
                )
            ),
        ),
        data={
            "decision_id": row.id,
            "decision": decision.value,
            "escalation_id": row.escalation_id,
            "client": client_data(
                locked, outcome.state, outcome.summary.count, scope.policy.threshold
            ),
        },
    )


async def _answered_already(scope: Scope, command: RecordDecision, client_id: int) -> Reply | None:
    """For a ping's button: the escalation it answers, when someone answered it first."""
    if command.escalation_id is None:
        return None
    escalation_id = whole_number(command.escalation_id, lowest=1)
    escalation = (
        await scope.uow.escalations.get(scope.tenant.id, escalation_id) if escalation_id else None
    )
    if escalation is None or escalation.client_id != client_id:
        text = scope.t._("That message is out of date; open the client's card instead.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "unknown_escalation"})
    if escalation.status == EscalationStatus.OPEN:
        return None
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Paragraph(scope.t._("Someone answered this before you; nothing was changed.")),
            *await escalation_status(scope, escalation),
        ),
        data={"escalation_id": escalation.id, "already": escalation.status},
    )


def _decision(text: str | None) -> Decision | None:
    if not text:
        return None
    try:
        return Decision(text.strip().lower())
    except ValueError:
        return None


def _decision_form(scope: Scope, command: RecordDecision, errors: dict[str, str]) -> Reply:
    t = scope.t
    choices = tuple(Choice(choice.value, decision_label(t, choice)) for choice in Decision)
    form = Form(
        title=t._("Record a decision"),
        fields=(
            ClientPickerField("client", t._("Client"), command.client),
            ChoiceField("decision", t._("Decision"), choices, command.decision),
            TextField(
                "reason",
                t._("Reason"),
                command.reason,
                required=False,
                multiline=True,
                max_length=MAX_REASON,
                hint=t._("Required when clearing strikes."),
            ),
        ),
        submit_label=t._("Record the decision"),
        command=command,
        errors=errors,
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "decision", "errors": errors})
