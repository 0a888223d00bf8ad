"""Reminders: managers are pinged again while an escalation waits for a decision.

Each tenant's interval is its ``reminder`` setting (default 3 days) after the ping or the last
reminder. Tenants are reminded one by one, so one tenant's failure is logged and retried on the
next tick without holding up the others.
"""

import logging
from datetime import timedelta

from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.outbox.messages import MessageKind, queue_to_managers
from skills.strikes.apply import lock_current
from storage.models import EscalationStatus

log = logging.getLogger(__name__)

# Escalations reminded per tenant and tick; more wait for the next tick.
BATCH = 200


async def queue_due_reminders(services: Services) -> int:
    """Queue a reminder to every manager of each escalation that waited the tenant's interval;
    how many escalations were reminded."""
    async with services.unit_of_work() as uow:
        tenant_ids = await uow.escalations.tenants_with_open()
    reminded = 0
    for tenant_id in tenant_ids:
        try:
            async with open_scope(services, system_actor(tenant_id)) as scope:
                reminded += await _remind(scope)
                await scope.uow.commit()
        except Exception:  # one tenant's trouble must not stop the others' reminders
            log.exception("reminders for %s failed; trying again next tick", tenant_id)
    return reminded


async def _remind(scope: Scope) -> int:
    cutoff = scope.now - timedelta(days=scope.tenant.reminder_days)
    candidates = await scope.uow.escalations.due_for_reminder(scope.tenant.id, cutoff, limit=BATCH)
    reminded = 0
    for candidate in candidates:
        # Catch the client up first: strikes that expired close the escalation instead.
        await lock_current(scope, candidate.client_id)
        escalation = await scope.uow.escalations.lock(scope.tenant.id, candidate.id or 0)
        if escalation is None or escalation.status != EscalationStatus.OPEN:
            continue
        escalation.reminders_sent += 1
        escalation.last_reminded_at = scope.now
        await scope.uow.escalations.save(escalation)
        label = f"reminder:{escalation.reminders_sent}"
        await queue_to_managers(scope, escalation, MessageKind.MANAGER_REMINDER, label)
        await scope.audit(
            "escalation.reminded",
            subject=("escalation", str(escalation.id)),
            reminder=escalation.reminders_sent,
        )
        reminded += 1
    return reminded
