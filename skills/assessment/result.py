"""An assessment's result: the score, a bar per area, the recommendation with its reasons, and
the playbook as a checklist kept per client."""

from decimal import Decimal
from unicodedata import east_asian_width

from skills.assessment.bank import bank
from skills.assessment.playbooks import PLAYBOOKS, Recommendation, recommendation_label
from skills.assessment.scoring import Score, Value, score
from skills.assessment.text import ANSWERS, QUESTIONS
from skills.clients.lookup import CLIENT_ID_PREFIX, client_or_suggestions
from skills.commands import ShowAssessment, TickPlaybookStep
from skills.core.access import may_assess, refuse
from skills.core.scope import Scope
from skills.replies import Actions, Button, Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.reports.categories import category
from skills.strikes.apply import Outcome, apply_policy, lock_current
from skills.text.i18n import N_, Translator
from storage.models import Assessment, Client, EscalationStatus, PlaybookProgress

AREA_LABELS = {"ethical": N_("Respect and honesty"), "financial": N_("Money"), "fit": N_("Fit")}
BAR_WIDTH = 10


async def finish_assessment(scope: Scope, client: Client, answers: dict[str, str]) -> Reply:
    """Score the answers, keep the result, and escalate a zero-tolerance finding or a
    recommendation to part ways like a red strike (one escalation per crossing)."""
    current = bank()
    value = Value(
        monthly_revenue=_amount(answers.get("monthly_revenue")),
        support_hours=_amount(answers.get("support_hours")),
        reference_account=answers.get("reference_account") == "yes",
        costly_to_lose=answers.get("costly_to_lose") == "yes",
        can_change=answers.get("can_change") != "no",
        star_potential=answers.get("star_potential") == "yes",
    )
    result: Score = score(current, answers, value, scope.tenant.hourly_cost)
    [*previous] = await scope.uow.assessments.latest(scope.tenant.id, client.id or 0)
    row = await scope.uow.assessments.add(
        Assessment(
            tenant_id=scope.tenant.id,
            client_id=client.id or 0,
            assessor_id=scope.actor.user_id,
            bank_version=current.version,
            answers=answers,
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
    if result.zero_tolerance or result.recommendation is Recommendation.PART_WAYS:
        locked = await lock_current(scope, client.id or 0)
        # While an escalation is open the managers already have this client before them; the
        # result joins it instead of raising the same crossing twice.
        if await scope.uow.escalations.open_for(scope.tenant.id, client.id or 0) is None:
            locked.flagged_at = scope.now
            await scope.uow.clients.save(locked)
            outcome = await apply_policy(scope, locked, closing=EscalationStatus.WITHDRAWN)
    await scope.audit(
        "assessment.finished",
        subject=("client", str(client.id)),
        assessment_id=row.id,
        risk=result.risk,
        recommendation=result.recommendation.value,
    )
    await scope.uow.commit()
    return _result_reply(scope, client, row, previous[0] if previous else None, set(), outcome)


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
    return _result_reply(scope, client, latest[0], previous, done, None)


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
    done: set[str],
    outcome: Outcome | None,
) -> Reply:
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
    ratio = (
        t._("{ratio}× what they cost to serve", ratio=t.number(Decimal(f"{row.value_ratio:.1f}")))
        if row.value_ratio is not None
        else t._("unknown")
    )
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
                Fact(t._("Value"), ratio),
                Fact(t._("Zero-tolerance findings"), findings),
                Fact(t._("Assessed on"), t.date(row.finished_at, tz)),
            )
        ),
        Paragraph("\n".join(bars)),
    ]
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
            "zero_tolerance": row.zero_tolerance,
            "recommendation": row.recommendation,
            "reasons": row.reasons,
            "playbook": [{"step": key, "done": key in done} for key, _text in playbook],
            "escalation_opened": bool(outcome and outcome.opened),
        },
    )


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
