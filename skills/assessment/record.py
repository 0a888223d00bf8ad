"""The strike record as the assessment reads it, and says it in words: the red cards, a crossed
threshold, the escalation waiting for the managers, and a manager's decision.

The record is read with the strike policy's one rule (``skills.strikes``: the active strikes
counted in the database, an earlier assessment's flag, ``is_crossed``); what it does to the
recommendation is ``scoring.weigh_record``.
"""

from dataclasses import dataclass
from datetime import datetime

from skills.assessment.playbooks import Recommendation, recommendation_label
from skills.assessment.scoring import Record
from skills.core.scope import Scope
from skills.reports.categories import category
from skills.strikes.apply import active_incidents, current_summary, last_decision
from skills.strikes.labels import decision_label
from skills.strikes.policy import (
    ClientState,
    LastDecision,
    Severity,
    StrikeSummary,
    derive_state,
    is_crossed,
    with_assessment_flag,
)
from storage.models import Client, Escalation, Incident

# States that are the strikes' own; any other is a manager's decision standing.
_STRIKE_STATES = {ClientState.OK, ClientState.WATCH, ClientState.THRESHOLD}


@dataclass(frozen=True)
class StrikeRecord:
    """What stands against the client now, with what the words need."""

    rule: Record
    strikes: int
    reds: tuple[Incident, ...]
    flagged_at: datetime | None
    escalation: Escalation | None
    decision: LastDecision | None

    def data(self) -> dict[str, object]:
        """The machine-readable record."""
        return {
            "crossed": self.rule.crossed,
            "strikes": self.strikes,
            "red_reports": [incident.id for incident in self.reds],
            "flagged": self.flagged_at is not None,
            "escalation_id": self.escalation.id if self.escalation else None,
            "decision": self.decision.decision.value if self.decision else None,
        }


async def strike_record(scope: Scope, client: Client) -> StrikeRecord:
    """The client's strike record now."""
    summary, escalation_id = await current_summary(scope, client)
    decided = last_decision(client)
    state = derive_state(summary, scope.policy, decided)
    # As on the card: an open escalation whose strikes expired since is stale; the next change
    # closes it.
    escalation = (
        await scope.uow.escalations.get(scope.tenant.id, escalation_id)
        if escalation_id is not None and state is ClientState.THRESHOLD
        else None
    )
    incidents = await scope.uow.incidents.for_client(scope.tenant.id, client.id or 0)
    reds = tuple(
        incident
        for incident in active_incidents(scope, client, incidents)
        if incident.severity == Severity.RED
    )
    flag = with_assessment_flag(
        StrikeSummary(), client.flagged_at, scope.policy, scope.now, client.strikes_reset_at
    )
    return StrikeRecord(
        rule=Record(crossed=is_crossed(summary, scope.policy), escalation_open=bool(escalation)),
        strikes=summary.count,
        reds=reds,
        flagged_at=client.flagged_at if flag.count else None,
        escalation=escalation,
        decision=decided if state not in _STRIKE_STATES else None,
    )


def record_sentences(
    scope: Scope,
    record: StrikeRecord,
    *,
    recommended: str,
    from_answers: Recommendation | None,
) -> list[str]:
    """What stands on the record, in words; and, when it changed the recommendation of the
    answers (``from_answers``, known when the assessment is finished), that it did."""
    if not record.rule.stands:
        return []
    t = scope.t
    tz = scope.tenant.timezone
    sentences = []
    if record.reds:
        cards = [
            t._(
                "{category} on {date}",
                category=t.quote(category(incident.category).label(t)),
                date=t.date(incident.occurred_at, tz),
            )
            for incident in record.reds
        ]
        sentences.append(
            t.n_(
                "This client is over the strike threshold with a red card for {cards}.",
                "This client is over the strike threshold with red cards for {cards}.",
                len(cards),
                cards=t.list_of(cards),
            )
        )
    elif record.rule.crossed:
        sentences.append(
            t.n_(
                "This client is over the strike threshold with {count} active strike "
                "(the threshold is {threshold}).",
                "This client is over the strike threshold with {count} active strikes "
                "(the threshold is {threshold}).",
                record.strikes,
                threshold=t.number(scope.policy.threshold),
            )
        )
    if record.flagged_at is not None:
        sentences.append(
            t._(
                "The assessment of {date} counts as a red card: it found a zero-tolerance "
                "answer or reason to part ways.",
                date=t.date(record.flagged_at, tz),
            )
        )
    if record.escalation is not None:
        sentences.append(
            t._(
                "The managers were asked to decide on {date}, and have not decided yet.",
                date=t.date(record.escalation.opened_at, tz),
            )
        )
    if record.decision is not None and record.rule.crossed:
        sentences.append(
            t._(
                "A manager decided on {date}: {decision}.",
                date=t.date(record.decision.decided_at, tz),
                decision=t.quote(decision_label(t, record.decision.decision)),
            )
        )
    if from_answers is not None and from_answers.value != recommended:
        sentences.append(
            t._(
                "The answers alone would recommend {answers}; while the strike record stands, "
                "the assessment recommends {recommendation}.",
                answers=t.quote(recommendation_label(t, from_answers)),
                recommendation=t.quote(recommendation_label(t, recommended)),
            )
        )
    return sentences
