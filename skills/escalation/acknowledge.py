"""A manager acknowledges a ping: "I have seen it". Reminders go on until someone decides."""

from skills.commands import AcknowledgeEscalation
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.escalation.card import escalation_status
from skills.escalation.lifecycle import changed
from skills.replies import Paragraph, Reply, ReplyKind
from skills.text.limits import NAME_LIMIT, clip
from skills.text.numbers import whole_number
from storage.models import EscalationStatus


async def acknowledge_escalation(scope: Scope, command: AcknowledgeEscalation) -> Reply:
    """Record the first acknowledgement and update every manager's copy to show it."""
    refused = await require_manager(
        scope, "escalation.acknowledge", ("escalation", command.escalation_id)
    )
    if refused:
        return refused
    t = scope.t
    escalation_id = whole_number(command.escalation_id, lowest=1)
    escalation = (
        await scope.uow.escalations.lock(scope.tenant.id, escalation_id) if escalation_id else None
    )
    if escalation is None:
        text = t._("That message is out of date; open the client's card instead.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "unknown_escalation"})
    if escalation.status == EscalationStatus.OPEN and escalation.acknowledged_at is None:
        escalation.acknowledged_by = scope.actor.user_id
        escalation.acknowledged_by_name = clip(scope.actor.display_name, NAME_LIMIT)
        escalation.acknowledged_at = scope.now
        await scope.uow.escalations.save(escalation)
        await scope.audit("escalation.acknowledged", subject=("escalation", str(escalation.id)))
        await changed(scope, escalation.id or 0, "acknowledged")
        await scope.uow.commit()
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(await escalation_status(scope, escalation)),
        data={
            "escalation_id": escalation.id,
            "acknowledged_by": escalation.acknowledged_by,
            "status": escalation.status,
        },
    )
