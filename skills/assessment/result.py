"""An assessment's result: the score, a bar per area, the recommendation with its reasons, and
the playbook as a checklist kept per client."""

from decimal import Decimal
from unicodedata import east_asian_width

from skills.assessment.bank import COST_KEYS, bank
from skills.assessment.playbooks import PLAYBOOKS, Recommendation, recommendation_label
from skills.assessment.record import StrikeRecord, record_sentences, strike_record
from skills.assessment.scoring import Score, Value, score, weigh_record
from skills.assessment.text import ANSWERS, QUESTIONS
from skills.clients.lookup import CLIENT_ID_PREFIX, client_or_suggestions
from skills.commands import ShowAssessment, TickPlaybookStep
from skills.core.access import is_manager, may_assess, refuse
from skills.core.scope import Scope
from skills.replies import Actions, Button, Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.reports.categories import category
from skills.settings.change import fill_hourly_cost
from skills.settings.hourly_cost import how_to_set, is_set
from skills.strikes.apply import Outcome, apply_policy, lock_current
from skills.text.i18n import N_, Translator
from storage.models import Assessment, Client, EscalationStatus, PlaybookProgress

AREA_LABELS = {"ethical": N_("Respect and honesty"), "financial": N_("Money"), "fit": N_("Fit")}
BAR_WIDTH = 10


async def finish_assessment(scope: Scope, client: Client, answers: dict[str, str]) -> Reply:
    """Score the answers, with the strike record's say, and keep the result; save a cost of a
    support hour a manager gave; escalate a zero-tolerance finding or a recommendation to part
    ways like a red strike (one escalation per crossing)."""
    current = bank()
    if all(key in answers for key in COST_KEYS):
        # The tenant before the client: the order a threshold change locks them in.
        await fill_hourly_cost(scope, Decimal(answers["hourly_cost"]), answers["currency"])
    tenant = scope.tenant
    # Locked and caught up with time, so the record read below is the one the result stands
    # on, and the flag set below cannot race a report.
    locked = await lock_current(scope, client.id or 0)
    record = await strike_record(scope, locked)
    kept = {key: value for key, value in answers.items() if key not in COST_KEYS}
    if is_set(tenant):
        # Kept with the answers: the result shows the ratio with the cost it was computed with.
        kept |= {"hourly_cost": str(tenant.hourly_cost), "currency": str(tenant.currency)}
    value = Value(
        monthly_revenue=_amount(kept.get("monthly_revenue")),
        support_hours=_amount(kept.get("support_hours")),
        reference_account=kept.get("reference_account") == "yes",
        costly_to_lose=kept.get("costly_to_lose") == "yes",
        can_change=kept.get("can_change") != "no",
        star_potential=kept.get("star_potential") == "yes",
    )
    result: Score = score(
        current, kept, value, _amount(kept.get("hourly_cost")), record=record.rule
    )
    [*previous] = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0)
    row = await scope.uow.assessments.add(
        Assessment(
            tenant_id=scope.tenant.id,
            client_id=client.id or 0,
            assessor_id=scope.actor.user_id,
            bank_version=current.version,
            answers=kept,
            risk=result.risk,
            areas=result.areas,
            value_ratio=result.value_ratio,
            zero_tolerance=list(result.zero_tolerance),
            recommendation=result.recommendation.value,
            reasons=list(result.reasons),
            finished_at=scope.now,
        )
    )
    outcome = None
    # While an escalation is open the managers already have this client before them; the
    # result joins it instead of raising the same crossing twice.
    if (
        result.zero_tolerance or result.recommendation is Recommendation.PART_WAYS
    ) and await scope.uow.escalations.open_for(scope.tenant.id, client.id or 0) is None:
        locked.flagged_at = scope.now
        await scope.uow.clients.save(locked)
        outcome = await apply_policy(scope, locked, closing=EscalationStatus.WITHDRAWN)
    await scope.audit(
        "assessment.finished",
        subject=("client", str(client.id)),
        assessment_id=row.id,
        risk=result.risk,
        recommendation=result.recommendation.value,
        from_answers=result.from_answers.value,
    )
    await scope.uow.commit()
    return _result_reply(
        scope,
        client,
        row,
        previous[0] if previous else None,
        done=set(),
        record=record,
        from_answers=result.from_answers,
        outcome=outcome,
    )


async def show_assessment_command(scope: Scope, command: ShowAssessment) -> Reply:
    """The latest result and its playbook, for anyone on the staff."""
    client = await client_or_suggestions(scope, command.client, retry=ShowAssessment)
    if isinstance(client, Reply):
        return client
    shown = await show_assessment(scope, client)
    if shown is not None:
        return shown
    text = scope.t._(
        "{client} has not been assessed yet. Start with /client assess {client}.",
        client=client.name,
    )
    return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "not_assessed"})


async def show_assessment(scope: Scope, client: Client) -> Reply | None:
    """The client's latest result, or None when it was never assessed."""
    latest = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0, limit=2)
    if not latest:
        return None
    done = await scope.uow.assessments.ticked(
        scope.tenant.id, client.id or 0, latest[0].recommendation
    )
    previous = latest[1] if len(latest) > 1 else None
    record = await strike_record(scope, client)
    return _result_reply(scope, client, latest[0], previous, done=done, record=record)


async def tick_playbook_step(scope: Scope, command: TickPlaybookStep) -> Reply:
    """Tick a playbook step off (or on again) for the client's current recommendation."""
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: TickPlaybookStep(name, command.step)
    )
    if isinstance(client, Reply):
        return client
    if not may_assess(scope.tenant, scope.actor, client):
        return await refuse(
            scope, "playbook.tick", reason="not_manager", subject=("client", str(client.id))
        )
    [*latest] = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0)
    recommendation = latest[0].recommendation if latest else None
    steps = dict(PLAYBOOKS[Recommendation(recommendation)]) if recommendation else {}
    if recommendation is None or command.step not in steps:
        text = scope.t._("That step is not in {client}'s playbook.", client=client.name)
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "unknown_step"})
    done = await scope.uow.assessments.ticked(scope.tenant.id, client.id or 0, recommendation)
    if command.step in done:
        await scope.uow.assessments.untick(
            scope.tenant.id, client.id or 0, recommendation, command.step
        )
    else:  # a concurrent tick of the same step is the same tick
        await scope.uow.assessments.tick(
            PlaybookProgress(
                tenant_id=scope.tenant.id,
                client_id=client.id or 0,
                recommendation=recommendation,
                step=command.step,
                done_by=scope.actor.user_id,
                done_at=scope.now,
            )
        )
    await scope.audit("playbook.ticked", subject=("client", str(client.id)), step=command.step)
    await scope.uow.commit()
    shown = await show_assessment(scope, client)
    assert shown is not None, "a client with a recommendation has an assessment"
    return shown


def _result_reply(
    scope: Scope,
    client: Client,
    row: Assessment,
    previous: Assessment | None,
    *,
    done: set[str],
    record: StrikeRecord,
    from_answers: Recommendation | None = None,
    outcome: Outcome | None = None,
) -> Reply:
    """The result: ``from_answers`` is known when the assessment was just finished, and
    ``outcome`` when finishing it applied the policy."""
    t = scope.t
    tz = scope.tenant.timezone
    risk = (
        t._(
            "{risk} of 100 ({change:+d} since {date})",
            risk=row.risk,
            change=row.risk - previous.risk,
            date=t.date(previous.finished_at, tz),
        )
        if previous is not None
        else t._("{risk} of 100", risk=row.risk)
    )
    value, how_to = _value(scope, row)
    findings = t.list_of(_finding(t, key) for key in row.zero_tolerance) or "—"
    labels = {area: t._(AREA_LABELS[area]) for area in row.areas}
    width = max((_columns(label) for label in labels.values()), default=0)
    bars = [
        f"{labels[area]}{' ' * (width - _columns(labels[area]))} {_bar(points)} {points}"
        for area, points in row.areas.items()
    ]
    reasons = [
        f"• {t._(QUESTIONS[key])} — {t.p_(*ANSWERS[row.answers[key]])}" for key in row.reasons
    ]
    playbook = PLAYBOOKS[Recommendation(row.recommendation)]
    checklist = [f"{'☑' if key in done else '☐'} {t._(text)}" for key, text in playbook]
    blocks: list[Heading | Facts | Paragraph | Actions] = [
        Heading(
            t._(
                "Assessment of {client}: {recommendation}",
                client=client.name,
                recommendation=recommendation_label(t, row.recommendation),
            )
        ),
        Facts(
            (
                Fact(t._("Risk"), risk),
                Fact(t._("Value"), value),
                Fact(t._("Zero-tolerance findings"), findings),
                Fact(t._("Assessed on"), t.date(row.finished_at, tz)),
            )
        ),
    ]
    said = record_sentences(
        scope, record, recommended=row.recommendation, from_answers=from_answers
    )
    weighed_now = weigh_record(Recommendation(row.recommendation), record.rule).value
    if from_answers is None and weighed_now != row.recommendation:
        # Shown again after the record changed: the stored result said all was well.
        said.append(
            t._(
                "The strike record has changed since this assessment; run /client assess "
                "{client} for a current recommendation.",
                client=client.name,
            )
        )
    if said:
        blocks.append(Paragraph(t.sentences(said)))
    if how_to:
        blocks.append(Paragraph(how_to))
    blocks.append(Paragraph("\n".join(bars)))
    if reasons:
        blocks += [Paragraph(t._("Why:")), Paragraph("\n".join(reasons))]
    blocks += [Paragraph(t._("Playbook:")), Paragraph("\n".join(checklist))]
    blocks.append(
        Actions(
            tuple(
                Button(
                    t._("Step {number}: done or not", number=number),
                    TickPlaybookStep(f"{CLIENT_ID_PREFIX}{client.id}", key),
                )
                for number, (key, _text) in enumerate(playbook, 1)
            )
        )
    )
    if outcome is not None and outcome.opened:
        text = t._(
            "{client} is now over the threshold. The managers will be notified once, with the "
            "evidence, to decide what happens next.",
            client=client.name,
        )
        blocks.append(Paragraph(text))
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "assessment_id": row.id,
            "bank_version": row.bank_version,
            "risk": row.risk,
            "change": row.risk - previous.risk if previous else None,
            "areas": row.areas,
            "value_ratio": row.value_ratio,
            "hourly_cost": row.answers.get("hourly_cost"),
            "currency": row.answers.get("currency"),
            "zero_tolerance": row.zero_tolerance,
            "recommendation": row.recommendation,
            "from_answers": from_answers.value if from_answers else None,
            "record": record.data(),
            "reasons": row.reasons,
            "playbook": [{"step": key, "done": key in done} for key, _text in playbook],
            "escalation_opened": bool(outcome and outcome.opened),
        },
    )


def _value(scope: Scope, row: Assessment) -> tuple[str, str | None]:
    """The value fact, and how to set the cost of a support hour while it was not set: no
    ratio is computed from a cost nobody entered."""
    t = scope.t
    answers = row.answers
    revenue, hours = _amount(answers.get("monthly_revenue")), _amount(answers.get("support_hours"))
    rate, currency = _amount(answers.get("hourly_cost")), answers.get("currency")
    if row.value_ratio is not None:
        ratio = t.number(Decimal(f"{row.value_ratio:.1f}"))
        if revenue is None or hours is None or rate is None or currency is None:
            # Finished before the cost was kept with the answers.
            return t._("{ratio}× what they cost to serve", ratio=ratio), None
        text = t._(
            "{ratio}× what they cost to serve: {revenue} a month against {cost}, at {rate} an hour",
            ratio=ratio,
            revenue=t.money(revenue, currency),
            cost=t.money(hours * rate, currency),
            rate=t.money(rate, currency),
        )
        return text, None
    if hours == 0:
        return t._("not computed: they take no support hours"), None
    if rate is not None and currency is not None:
        return t._("unknown"), None
    missing = t._("not computed: the cost of a support hour was not set")
    if is_set(scope.tenant):  # set since: the next assessment computes it
        return missing, None
    command = how_to_set(t)
    how_to = (
        t._("Set it once, for every client: {command}.", command=command)
        if is_manager(scope.tenant, scope.actor)
        else t._("A manager can set it: {command}.", command=command)
    )
    return missing, how_to


def _finding(t: Translator, key: str) -> str:
    """A zero-tolerance finding by the name of its question's category ("Threat"), short enough
    to list; the question itself when it has none."""
    question = next((item for item in bank().questions if item.key == key), None)
    if question is not None and question.category is not None:
        return category(question.category).label(t)
    return t._(QUESTIONS[key])


def _columns(text: str) -> int:
    """How many columns ``text`` takes in a monospaced font: wide (CJK) characters take two,
    so Japanese and Chinese labels line up with their bars too."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def _bar(points: int) -> str:
    filled = round(points * BAR_WIDTH / 100)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _amount(text: str | None) -> Decimal | None:
    # Stored plain by the dialog, whatever notation the person used.
    return Decimal(text) if text else None
