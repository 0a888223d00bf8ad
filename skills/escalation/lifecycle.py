"""An escalation's life, in one place.

It is opened when a client crosses the threshold, and each manager is pinged once
(``open_escalation``, from ``skills/strikes/apply.py``); reminded until someone decides
(``reminders.py``); acknowledged (``acknowledge.py``), disputed (``skills/reports/disputes.py``)
or handed to a new account owner (``skills/clients/ownership.py``) while it is open; and closed
by a manager's decision (``decisions.py``) or when the client falls back under the threshold
(``close_escalation``, from ``apply_policy``). Whatever a manager's copy shows, the copies
already sent are updated in place through ``changed``, the one route to that refresh.
"""

from skills.core.scope import Scope
from skills.outbox.messages import MessageKind, queue_refresh, queue_to_managers
from skills.strikes.policy import StrikeSummary
from storage.models import Client, Escalation, EscalationStatus, OutboxMessage


async def open_escalation(
    scope: Scope, client: Client, summary: StrikeSummary, trigger_incident_id: int | None
) -> tuple[Escalation, tuple[OutboxMessage, ...]]:
    """Open the client's escalation and queue one ping per manager; the pings queued."""
    escalation = await scope.uow.escalations.add(
        Escalation(
            tenant_id=scope.tenant.id,
            client_id=client.id or 0,
            reason="red" if summary.reds else "strikes",
            trigger_incident_id=trigger_incident_id,
            opened_at=scope.now,
        )
    )
    await scope.audit(
        "escalation.opened",
        subject=("escalation", str(escalation.id)),
        client_id=client.id,
        strikes=summary.count,
        reds=summary.reds,
    )
    pings = await queue_to_managers(scope, escalation, MessageKind.MANAGER_PING, "ping")
    return escalation, pings


async def close_escalation(
    scope: Scope, escalation_id: int, status: EscalationStatus, *, state: str
) -> None:
    """Close an open escalation with ``status`` (the client is in ``state`` now); every copy
    of its ping shows it."""
    escalation = await scope.uow.escalations.get(scope.tenant.id, escalation_id)
    if escalation is None:
        return
    await scope.uow.escalations.close(escalation, status=status, at=scope.now)
    await scope.audit(
        f"escalation.{status.value}", subject=("escalation", str(escalation_id)), state=state
    )
    await changed(scope, escalation_id, "closed")


async def changed(scope: Scope, escalation_id: int, event: str) -> None:
    """Update every copy already sent of the escalation's ping and reminders (``event`` names
    what changed, so the same change queued twice is one update)."""
    await queue_refresh(scope, escalation_id, event)


async def client_changed(scope: Scope, client_id: int, event: str) -> None:
    """``changed`` for the client's open escalation, if it has one."""
    escalation = await scope.uow.escalations.open_for(scope.tenant.id, client_id)
    if escalation is not None:
        await changed(scope, escalation.id or 0, event)
