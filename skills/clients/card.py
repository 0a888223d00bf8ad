"""A client's card (``/client <client>``): where it stands and why."""

import dataclasses

from skills.assessment.playbooks import recommendation_label
from skills.clients.lookup import CLIENT_ID_PREFIX, client_data, client_or_suggestions
from skills.clients.record_fields import record_data, record_facts
from skills.commands import ReportIncident, ShowAssessment, ShowClient
from skills.core.access import may_see_reporter
from skills.core.scope import Scope
from skills.costs.card import cost_card
from skills.listening.contact import contact_levels
from skills.replies import Actions, Button, Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.reports.disputes import dispute_line
from skills.reports.lines import incident_data, preview_room, reports_blocks
from skills.strikes.apply import active_incidents, live_state
from skills.strikes.fairness import one_reporter_note
from skills.strikes.labels import active_strikes_label, decision_label, state_label
from skills.strikes.policy import ClientState, Decision
from skills.suggestions.message import suggested_card
from skills.text.command_parser import parse_command
from skills.text.limits import REPORTS_PER_MESSAGE

RECENT_REPORTS = 5


async def show_client(scope: Scope, command: ShowClient) -> Reply:
    """The card: state, active strikes and recent reports with their evidence, open escalation
    and last decision."""
    client = await client_or_suggestions(scope, command.client, retry=ShowClient)
    if isinstance(client, Reply):
        return _offering_the_subcommand(scope, client, command.meant) if command.meant else client
    t = scope.t
    tz = scope.tenant.timezone
    state, summary = await live_state(scope, client)
    incidents = await scope.uow.incidents.for_client(scope.tenant.id, client.id or 0)
    active = active_incidents(scope, client, incidents)
    facts = [
        Fact(t._("State"), state_label(t, state)),
        Fact(
            t._("Active strikes"),
            active_strikes_label(t, summary, scope.policy.threshold),
        ),
    ]
    escalation = await scope.uow.escalations.open_for(scope.tenant.id, client.id or 0)
    if state is not ClientState.THRESHOLD:
        escalation = None  # stale: its strikes expired since; the next change closes it
    if escalation is not None:
        facts.append(Fact(t._("Waiting for a decision since"), t.date(escalation.opened_at, tz)))
    if client.last_decision and client.last_decision_at:
        facts.append(
            Fact(
                t._("Last decision"),
                t._(
                    "{decision}, on {date}",
                    decision=decision_label(t, Decision(client.last_decision)),
                    date=t.date(client.last_decision_at, tz),
                ),
            )
        )
    facts += record_facts(t, client)
    contact = (await contact_levels(scope)).get(client.id or 0)
    if contact is not None:
        facts.append(
            Fact(
                t._("Messages from the client this week"),
                t._(
                    "{count} (median of clients: {median})",
                    count=t.number(contact.messages),
                    median=t.number(round(contact.median)),
                ),
            )
        )
    [*assessed] = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0)
    if assessed:
        last = assessed[0]
        summary_line = t._(
            "{risk} of 100, {recommendation} ({date})",
            risk=last.risk,
            recommendation=recommendation_label(t, last.recommendation),
            date=t.date(last.finished_at, tz),
        )
        facts.append(Fact(t._("Assessment"), summary_line))
    else:
        facts.append(Fact(t._("Assessment"), t._("None yet")))
    blocks: list[Heading | Facts | Paragraph | Actions] = [
        Heading(client.name),
        Facts(tuple(facts)),
    ]
    if assessed:
        show = ShowAssessment(f"{CLIENT_ID_PREFIX}{client.id}")
        blocks.append(Actions((Button(t._("Assessment and playbook"), show),)))
    costs = await cost_card(scope, client)
    blocks += costs.blocks
    suggested = await suggested_card(scope, client)
    blocks += suggested.blocks
    recent = incidents[:RECENT_REPORTS]
    others = [item for item in recent if item not in active]
    # The active strikes and the other recent reports share the message's room.
    room = preview_room(min(len(active), REPORTS_PER_MESSAGE) + len(others))
    if active:
        blocks.append(Paragraph(t._("Active strikes:")))
        blocks += await reports_blocks(scope, active, room=room)
    top = (
        await scope.uow.summary.top_reporters(
            scope.tenant.id,
            window_start=scope.policy.window_start(scope.now),
            until=scope.now,
            client_ids=[client.id or 0],
        )
    ).get(client.id or 0)
    named = top is not None and may_see_reporter(scope.tenant, scope.actor, top.reporter_id)
    note = one_reporter_note(t, top, named=named)
    if note:
        blocks.append(Paragraph(note))
    if contact is not None and contact.far_above:
        blocks.append(Paragraph(t._("Far more contact than other clients this week.")))
        suggestion = ReportIncident(
            client=f"{CLIENT_ID_PREFIX}{client.id}",
            category="attention_hog",
            details=t.n_(
                "{count} message this week, against a median of {median}.",
                "{count} messages this week, against a median of {median}.",
                contact.messages,
                median=t.number(round(contact.median)),
            ),
        )
        blocks.append(
            Actions((Button(t._("Report: takes far more time than paid for"), suggestion),))
        )
    disputes = await scope.uow.disputes.open_for_client(scope.tenant.id, client.id or 0)
    for dispute in disputes:
        blocks.append(Paragraph(dispute_line(t, dispute)))
    if others:
        blocks.append(Paragraph(t._("Other recent reports:")))
        blocks += await reports_blocks(scope, others, room=room)
    if not incidents:
        blocks.append(Paragraph(t._("No reports about this client yet.")))
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "client": client_data(client, state, summary.count, scope.policy.threshold),
            "record": record_data(client),
            "active_strike_ids": [item.id for item in active],
            "recent": [incident_data(scope, item) for item in recent],
            "escalation_id": escalation.id if escalation else None,
            "one_reporter": note is not None,
            "contact": (
                {
                    "messages": contact.messages,
                    "median": contact.median,
                    "far_above": contact.far_above,
                }
                if contact
                else None
            ),
            "open_disputes": [dispute.incident_id for dispute in disputes],
            "last_decision": client.last_decision,
            "costs": costs.data,
            "suggestions": suggested.data,
            "last_assessment": (
                {"risk": assessed[0].risk, "recommendation": assessed[0].recommendation}
                if assessed
                else None
            ),
        },
    )


def _offering_the_subcommand(scope: Scope, unknown: Reply, meant: str) -> Reply:
    """No client has the name, and its first word is nearly a subcommand: offer that first
    ("/client hisotry Globex": did you mean /client history Globex?)."""
    t = scope.t
    command = f"/client {meant}"
    offer = (
        Paragraph(t._("Did you mean {command}?", command=command)),
        Actions((Button(t._("Run {command}", command=command), parse_command(command)),)),
    )
    return dataclasses.replace(
        unknown, blocks=(*offer, *unknown.blocks), data={**unknown.data, "meant": command}
    )
