"""The message managers get when a client crosses the threshold, and its copies' later states.

Drawn afresh from the database every time it is sent or refreshed: the active strikes with
their details and evidence (cut short as ``skills/reports/lines.py`` cuts them, with a button to
the whole report), disputes beside them, the last assessment and its playbook, and the decision
buttons while the escalation is open, or who decided what once it is closed.
"""

from skills.assessment.playbooks import PLAYBOOKS, Recommendation, recommendation_label
from skills.clients.lookup import CLIENT_ID_PREFIX
from skills.commands import (
    AcknowledgeEscalation,
    ChangeOwner,
    Command,
    RecordDecision,
)
from skills.core.scope import Scope
from skills.replies import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Fact,
    Facts,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.reports.categories import STAFF_SAFETY
from skills.reports.disputes import dispute_buttons, dispute_line
from skills.reports.lines import incident_line, reports_blocks
from skills.strikes.apply import active_incidents, live_state
from skills.strikes.fairness import one_reporter_note
from skills.strikes.labels import active_strikes_label, decision_label, state_label
from skills.strikes.policy import Decision
from skills.text.mentions import mention
from storage.models import Client, Escalation, EscalationStatus, Incident

# The decisions a ping offers, in the order managers read them.
PING_DECISIONS = (
    Decision.KEEP_ON_TERMS,
    Decision.CONVERSATION,
    Decision.REFER,
    Decision.OFFBOARDING,
    Decision.CLEARED,
)


async def escalation_card(scope: Scope, escalation: Escalation, *, reminder: bool) -> Reply:
    """The escalation as managers see it now."""
    t = scope.t
    tz = scope.tenant.timezone
    client = await scope.uow.clients.get(scope.tenant.id, escalation.client_id)
    assert client is not None, "an escalation's client exists"
    incidents = await scope.uow.incidents.for_client(scope.tenant.id, client.id or 0)
    active = active_incidents(scope, client, incidents)
    state, summary = await live_state(scope, client)
    trigger = next((item for item in incidents if item.id == escalation.trigger_incident_id), None)
    safety = trigger is not None and trigger.category in STAFF_SAFETY
    title = (
        t._("Staff safety: {client} crossed the threshold", client=client.name)
        if safety
        else t._("{client} crossed the threshold", client=client.name)
    )
    if reminder and escalation.status == EscalationStatus.OPEN:
        title = t._("Reminder: {title}", title=title)
    owner = mention(client.owner_id) if client.owner_id else t._("nobody yet")
    facts = [
        Fact(t._("State"), state_label(t, state)),
        Fact(
            t._("Active strikes"),
            active_strikes_label(t, summary, scope.policy.threshold),
        ),
        Fact(t._("Crossed on"), t.date(escalation.opened_at, tz)),
        Fact(t._("Account owner"), owner),
    ]
    blocks: list[Block] = [Heading(title), Facts(tuple(facts))]
    if active:
        blocks.append(Paragraph(t._("Active strikes:")))
        blocks += await reports_blocks(scope, active)
    top = await scope.uow.summary.top_reporters(
        scope.tenant.id,
        window_start=scope.policy.window_start(scope.now),
        until=scope.now,
        client_ids=[client.id or 0],
    )
    # Pings go to managers only, who see reporters' names.
    note = one_reporter_note(t, top.get(client.id or 0), named=True)
    if note:
        blocks.append(Paragraph(note))
    blocks.extend(
        await _disputes(scope, client, incidents, open_=escalation.status == EscalationStatus.OPEN)
    )
    blocks.extend(await _assessment(scope, client))
    blocks.extend(await escalation_status(scope, escalation))
    if escalation.status == EscalationStatus.OPEN:
        blocks.append(Actions(_buttons(scope, client, escalation, trigger if safety else None)))
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "escalation_id": escalation.id,
            "client_id": client.id,
            "status": escalation.status,
            "state": state.value,
            "staff_safety": safety,
        },
    )


async def _disputes(
    scope: Scope, client: Client, incidents: list[Incident], *, open_: bool
) -> list[Block]:
    t = scope.t
    blocks: list[Block] = []
    by_id = {incident.id: incident for incident in incidents}
    for dispute in await scope.uow.disputes.open_for_client(scope.tenant.id, client.id or 0):
        incident = by_id.get(dispute.incident_id)
        blocks.append(
            Paragraph(
                dispute_line(t, dispute)
                + (f"\n{incident_line(scope, incident)}" if incident else "")
            )
        )
        if open_:
            blocks.append(dispute_buttons(t, dispute))
    return blocks


async def _assessment(scope: Scope, client: Client) -> list[Block]:
    t = scope.t
    [*latest] = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0)
    if not latest:
        return [Paragraph(t._("Not assessed yet: /client assess gives a recommendation."))]
    last = latest[0]
    recommendation = Recommendation(last.recommendation)
    steps = "\n".join(f"• {t._(text)}" for _key, text in PLAYBOOKS[recommendation])
    line = t._(
        "Last assessment: {risk} of 100, recommends {recommendation} ({date}).",
        risk=last.risk,
        recommendation=recommendation_label(t, last.recommendation),
        date=t.date(last.finished_at, scope.tenant.timezone),
    )
    return [Paragraph(f"{line}\n{steps}")]


async def escalation_status(scope: Scope, escalation: Escalation) -> list[Block]:
    """Who acknowledged or decided the escalation, or why it closed (nothing while untouched)."""
    t = scope.t
    tz = scope.tenant.timezone
    if escalation.status == EscalationStatus.OPEN:
        if escalation.acknowledged_at is None:
            return []
        return [
            Paragraph(
                t._(
                    "Acknowledged by {name} on {date}; waiting for a decision.",
                    name=escalation.acknowledged_by_name or escalation.acknowledged_by or "",
                    date=t.date_time(escalation.acknowledged_at, tz),
                )
            )
        ]
    decisions = await scope.uow.escalations.decisions_for(scope.tenant.id, escalation.client_id)
    decided = next((item for item in decisions if item.escalation_id == escalation.id), None)
    if decided is not None:
        text = t._(
            "Decided by {name} on {date}: {decision}.",
            name=decided.decided_by_name,
            date=t.date_time(decided.decided_at, tz),
            decision=decision_label(t, Decision(decided.kind)),
        )
        if decided.reason:
            text += "\n" + t._("Reason: {reason}", reason=decided.reason)
        return [Paragraph(text)]
    date = t.date(escalation.closed_at or scope.now, tz)
    if escalation.status == EscalationStatus.WITHDRAWN:
        text = t._(
            "Closed on {date}: reports were voided; the client is below the threshold.", date=date
        )
    elif escalation.status == EscalationStatus.EXPIRED:
        text = t._("Closed on {date}: the strikes expired.", date=date)
    elif escalation.status == EscalationStatus.POLICY_CHANGED:
        text = t._("Closed on {date}: the threshold or window changed.", date=date)
    else:
        text = t._("Closed on {date}.", date=date)
    return [Paragraph(text)]


def _buttons(
    scope: Scope, client: Client, escalation: Escalation, safety_report: Incident | None
) -> tuple[Button, ...]:
    t = scope.t
    target = f"{CLIENT_ID_PREFIX}{client.id}"
    escalation_id = str(escalation.id)
    buttons: list[Button] = []
    if escalation.acknowledged_at is None:
        buttons.append(Button(t._("Acknowledge"), AcknowledgeEscalation(escalation_id)))
    for decision in PING_DECISIONS:
        command: Command = RecordDecision(target, decision.value, None, escalation_id)
        style = ButtonStyle.DANGER if decision is Decision.OFFBOARDING else ButtonStyle.DEFAULT
        buttons.append(Button(decision_label(t, decision), command, style))
    if safety_report is not None:
        buttons += _safety_buttons(scope, client, safety_report)
    return tuple(buttons)


def _safety_buttons(scope: Scope, client: Client, safety_report: Incident) -> list[Button]:
    """What a staff-safety ping offers about the account: to move the staff member off it when
    they own it; to name an owner when nobody does (someone other than the person abused
    should answer the client); nothing when someone else owns it already."""
    t = scope.t
    change = ChangeOwner(f"{CLIENT_ID_PREFIX}{client.id}", None)
    if not client.owner_id:
        return [Button(t._("Name an account owner"), change, ButtonStyle.PRIMARY)]
    if client.owner_id == safety_report.reporter_id:
        label = t._("Move {name} off the account", name=safety_report.reporter_name)
        return [Button(label, change, ButtonStyle.PRIMARY)]
    return []
