"""What waits on the managers (``/client waiting [page]``): every open escalation and every
open dispute of the tenant, oldest first, each with the button that answers it.

Escalations come first (a client over the threshold), then disputes (a strike its account owner
objects to). App Home's "Decisions waiting" is this reply's first page, so the list is drawn in
one place.
"""

from typing import Any

from skills.clients.lookup import CLIENT_ID_PREFIX
from skills.commands import RecordDecision, ShowWaiting
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.escalation.card import escalation_status
from skills.replies import Actions, Block, Button, ButtonStyle, Heading, Paragraph, Reply, ReplyKind
from skills.reports.disputes import dispute_buttons, dispute_line
from skills.reports.lines import incident_line
from skills.text.paging import page_controls, page_of
from storage.models import Dispute, Escalation

PAGE_SIZE = 10


async def show_waiting(scope: Scope, command: ShowWaiting) -> Reply:
    """One page of what waits for a manager's decision; managers only."""
    refused = await require_manager(scope, "waiting.show", ("waiting", str(command.page)))
    if refused:
        return refused
    t = scope.t
    tenant_id = scope.tenant.id
    escalations = await scope.uow.escalations.open_in_tenant(tenant_id)
    disputes = await scope.uow.disputes.open_in_tenant(tenant_id)
    waiting: list[Escalation | Dispute] = [*escalations, *disputes]
    page = page_of(waiting, command.page, PAGE_SIZE)
    blocks: list[Block] = [Heading(t._("Decisions waiting"))]
    shown_escalations: list[dict[str, Any]] = []
    shown_disputes: list[dict[str, Any]] = []
    for item in page.items:
        if isinstance(item, Escalation):
            blocks += await _escalation(scope, item)
            shown_escalations.append(_escalation_data(item))
        else:
            blocks += await _dispute(scope, item)
            shown_disputes.append(_dispute_data(item))
    if not page.items:
        blocks.append(Paragraph(t._("Nothing is waiting for a decision.")))
    blocks += page_controls(t, page, ShowWaiting)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "page": page.number,
            "pages": page.count,
            "waiting": len(waiting),
            "escalations": shown_escalations,
            "disputes": shown_disputes,
        },
    )


async def _escalation(scope: Scope, escalation: Escalation) -> list[Block]:
    """The client, since when, why (the report that crossed), who acknowledged it, and the
    button to decide."""
    t = scope.t
    tz = scope.tenant.timezone
    client = await scope.uow.clients.get(scope.tenant.id, escalation.client_id)
    assert client is not None, "an escalation's client exists"
    lines = [
        t._(
            "{client}: over the threshold since {date}",
            client=client.name,
            date=t.date(escalation.opened_at, tz),
        )
    ]
    trigger = (
        await scope.uow.incidents.get(scope.tenant.id, escalation.trigger_incident_id)
        if escalation.trigger_incident_id
        else None
    )
    if trigger is not None:
        lines.append(t._("Crossed with report {report}", report=incident_line(scope, trigger)))
    elif escalation.reason == "red":
        lines.append(t._("Crossed with a red card."))
    else:
        lines.append(t._("Crossed when its strikes reached the threshold."))
    status = await escalation_status(scope, escalation)
    lines += [block.text for block in status if isinstance(block, Paragraph)] or [
        t._("Nobody has acknowledged it yet.")
    ]
    decide = RecordDecision(f"{CLIENT_ID_PREFIX}{client.id}", None, None, str(escalation.id))
    return [
        Paragraph("\n".join(lines)),
        Actions((Button(t._("Decide"), decide, ButtonStyle.PRIMARY),)),
    ]


async def _dispute(scope: Scope, dispute: Dispute) -> list[Block]:
    """The client, since when, who disputes which strike and why, and the buttons to keep or
    void it."""
    t = scope.t
    client = await scope.uow.clients.get(scope.tenant.id, dispute.client_id)
    assert client is not None, "a dispute's client exists"
    lines = [
        t._(
            "{client}: a strike disputed since {date}",
            client=client.name,
            date=t.date(dispute.disputed_at, scope.tenant.timezone),
        ),
        dispute_line(t, dispute),
    ]
    incident = await scope.uow.incidents.get(scope.tenant.id, dispute.incident_id)
    if incident is not None:
        lines.append(incident_line(scope, incident))
    return [Paragraph("\n".join(lines)), dispute_buttons(t, dispute)]


def _escalation_data(escalation: Escalation) -> dict[str, Any]:
    return {
        "id": escalation.id,
        "client_id": escalation.client_id,
        "opened_at": escalation.opened_at.isoformat(),
        "reason": escalation.reason,
        "trigger_incident_id": escalation.trigger_incident_id,
        "acknowledged_by": escalation.acknowledged_by,
    }


def _dispute_data(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.id,
        "client_id": dispute.client_id,
        "incident_id": dispute.incident_id,
        "disputed_by": dispute.disputed_by,
        "disputed_at": dispute.disputed_at.isoformat(),
    }
