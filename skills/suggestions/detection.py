"""When the rules run and what they leave behind: one suggestion per client, category and key,
queued to the account owner (or the managers) through the outbox in the same transaction
(docs/suggestions.md).

The non-payment rule runs for the clients a batch of signals touched, in the batch's own
transaction (``suggest_non_payment``: the signals API, the webhooks, and the signals an account
brings when it is matched). Both rules run for
every client once a day (``suggest_daily``): an invoice passes the non-payment days with time,
not with a signal, and the attention rule reads a whole finished month of the workspace, too
much to read again for every webhook.
"""

import logging
from collections.abc import Sequence
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.costs.month import figures, last_full_month
from skills.outbox.messages import ADMINS_RECIPIENT, MessageKind
from skills.suggestions.decision import DISMISSED
from skills.suggestions.rules import (
    FACTOR,
    PER,
    HeavyContact,
    Rule,
    UnpaidInvoice,
    heavy_contact,
    unpaid_invoices,
)
from storage.integration_models import Suggestion
from storage.models import Client, OutboxMessage, ScheduledRun

JOB = "suggestions"
# The daily run goes from this local time on, so that its messages arrive in working hours.
DAILY_AT = time(9, 0)
log = logging.getLogger(__name__)


async def suggest_daily(services: Services, claimant: str) -> list[str]:
    """Run both rules for every client of every tenant with signals, once per tenant and day
    (from ``DAILY_AT`` in its timezone), whatever the replicas: the day is claimed as a
    scheduled run. The tenants that ran; one tenant's failure is logged and tried again next
    tick."""
    async with services.unit_of_work() as uow:
        tenant_ids = await uow.suggestions.tenants_with_signals()
        await uow.commit()
    ran = []
    for tenant_id in tenant_ids:
        try:
            if await _run_today(services, tenant_id, claimant):
                ran.append(tenant_id)
        except Exception:  # one tenant's trouble must not stop the others' suggestions
            log.exception("the daily suggestions of %s failed; trying again next tick", tenant_id)
    return ran


async def _run_today(services: Services, tenant_id: str, claimant: str) -> bool:
    async with open_scope(services, system_actor(tenant_id)) as scope:
        local = scope.now.astimezone(ZoneInfo(scope.tenant.timezone))
        if local.time() < DAILY_AT:
            return False
        day = local.date()
        run = ScheduledRun(
            tenant_id=tenant_id,
            job=JOB,
            period=day.isoformat(),
            claimed_at=scope.now,
            claimed_by=claimant,
            finished_at=scope.now,
        )
        if not await scope.uow.scheduled_runs.claim(run):
            return False
        await suggest_non_payment(scope, None)
        await _attention(scope)
        await scope.uow.commit()
        return True


async def suggest_non_payment(scope: Scope, client_ids: Sequence[int] | None) -> int:
    """The non-payment rule for ``client_ids`` (every client when None), in the scope's
    transaction; how many suggestions are new. An open suggestion whose invoice is no longer
    overdue is withdrawn: it was paid."""
    tenant_id = scope.tenant.id
    invoices = await scope.uow.client_costs.overdue(tenant_id, scope.now, client_ids)
    unpaid = unpaid_invoices(invoices, scope.now, scope.policy.non_payment_red_after_days)
    # Every invoice still overdue, past the days or not: a workspace that raised its
    # non-payment days since has not been paid.
    overdue = {(invoice.client_id, invoice.invoice) for invoice in invoices}
    await _withdraw_paid(scope, client_ids, overdue)
    clients = await _clients(scope, {invoice.client_id for invoice in unpaid})
    made = 0
    for invoice in unpaid:
        made += await _suggest(
            scope,
            clients[invoice.client_id],
            Rule.NON_PAYMENT,
            invoice.invoice,
            _unpaid(scope, invoice),
        )
    return made


async def _withdraw_paid(
    scope: Scope, client_ids: Sequence[int] | None, overdue: set[tuple[int, str]]
) -> None:
    """Set aside the open non-payment suggestions of ``client_ids`` whose invoice is not in
    ``overdue``: the client paid, so there is nothing left to suggest, on the card or in a
    message still waiting to go."""
    suggestions = scope.uow.suggestions
    for found in await suggestions.open_of(scope.tenant.id, Rule.NON_PAYMENT, client_ids):
        if (found.client_id, found.key) in overdue:
            continue
        found.status = DISMISSED
        found.decided_at = scope.now
        found.decided_by = scope.actor.user_id
        await scope.audit(
            "suggestion.withdrawn",
            subject=("suggestion", str(found.id)),
            client_id=found.client_id,
            reason="paid",
        )


async def _attention(scope: Scope) -> int:
    """The attention rule over the tenant's last full month; how many suggestions are new."""
    tenant_id = scope.tenant.id
    month = last_full_month(scope.now, scope.tenant.timezone)
    totals = await scope.uow.client_costs.month_totals(tenant_id, month.start, month.end)
    with_signals = await scope.uow.client_costs.clients_with_signals(
        tenant_id, month.start, month.end
    )
    heavy = heavy_contact(
        figures(scope.tenant, client, month, totals.get(client.id or 0), None)
        for client in with_signals
    )
    clients = {client.id or 0: client for client in with_signals}
    made = 0
    for found in heavy:
        made += await _suggest(
            scope,
            clients[found.client_id],
            Rule.ATTENTION_HOG,
            month.key,
            _heavy(month.key, found),
        )
    return made


async def _clients(scope: Scope, client_ids: set[int]) -> dict[int, Client]:
    """The clients of ``client_ids`` by id (none asked, no query)."""
    if not client_ids:
        return {}
    found = await scope.uow.suggestions.clients(scope.tenant.id, sorted(client_ids))
    return {client.id or 0: client for client in found}


def _unpaid(scope: Scope, invoice: UnpaidInvoice) -> dict[str, Any]:
    return {
        "invoice": invoice.invoice,
        **invoice.overdue.as_data,
        "due_at": invoice.due_at.isoformat(),
        "non_payment_days": scope.policy.non_payment_red_after_days,
    }


def _heavy(month: str, found: HeavyContact) -> dict[str, Any]:
    return {
        "month": month,
        "minutes": found.minutes,
        "revenue": str(found.revenue),
        "currency": found.currency,
        "minutes_per": str(found.per),
        "per": str(PER),
        "median": str(found.median),
        "clients": found.compared,
        "factor": str(FACTOR),
    }


async def _suggest(
    scope: Scope, client: Client, rule: Rule, key: str, evidence: dict[str, Any]
) -> int:
    """Keep the suggestion and queue it to its recipients, unless the client had one for this
    rule and key already (1 when it is new)."""
    recipients = [client.owner_id] if client.owner_id else scope.tenant.manager_ids
    suggestion = Suggestion(
        tenant_id=scope.tenant.id,
        client_id=client.id or 0,
        category=rule.value,
        key=key,
        evidence=evidence,
        recipients=list(recipients or [ADMINS_RECIPIENT]),
        created_at=scope.now,
    )
    if not await scope.uow.suggestions.add(suggestion):
        return 0
    for recipient in suggestion.recipients:
        await scope.uow.outbox.add(
            OutboxMessage(
                tenant_id=scope.tenant.id,
                # Ends with the recipient: a message to the admins is split per person.
                dedupe_key=f"suggestion:{suggestion.id}:{recipient}",
                kind=MessageKind.SUGGESTION.value,
                recipient_id=recipient,
                payload={"suggestion_id": suggestion.id},
                created_at=scope.now,
                due_at=scope.now,
            )
        )
    await scope.audit(
        "suggestion.made",
        subject=("suggestion", str(suggestion.id)),
        client_id=client.id,
        category=rule.value,
        key=key,
    )
    return 1
