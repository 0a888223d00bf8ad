"""Scoring an assessment and recommending what to do (DOMAIN.md §4–5): pure functions."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from skills.assessment.bank import ANSWER_POINTS, Bank
from skills.assessment.playbooks import Recommendation

TOP_REASONS = 3


@dataclass(frozen=True)
class Value:
    """The value block's answers."""

    monthly_revenue: Decimal | None = None
    support_hours: Decimal | None = None
    reference_account: bool = False
    costly_to_lose: bool = False
    can_change: bool = True
    star_potential: bool = False


@dataclass(frozen=True)
class Record:
    """What the strike record says of the client as it is assessed (``skills.strikes``).

    ``crossed`` is the policy's ``is_crossed``: active strikes at or over the threshold, or a
    red among them (a zero-tolerance report, or an earlier assessment's flag), whether or not a
    manager has decided since. ``escalation_open``: the managers have not decided yet.
    """

    crossed: bool = False
    escalation_open: bool = False

    @property
    def stands(self) -> bool:
        """Whether something on the record says all is not well."""
        return self.crossed or self.escalation_open


@dataclass(frozen=True)
class Score:
    """What an assessment comes to: ``recommendation`` is ``from_answers`` with the strike
    record's say (``weigh_record``)."""

    risk: int
    areas: dict[str, int]
    value_ratio: float | None
    zero_tolerance: tuple[str, ...]
    from_answers: Recommendation
    recommendation: Recommendation
    reasons: tuple[str, ...]


def value_ratio(value: Value, hourly_cost: Decimal | None) -> float | None:
    """Monthly revenue ÷ monthly cost to serve; None when either is unknown (an hourly cost
    nobody set among them) or the cost is 0."""
    if value.monthly_revenue is None or value.support_hours is None or hourly_cost is None:
        return None
    cost = value.support_hours * hourly_cost
    if cost <= 0:
        return None
    return float(value.monthly_revenue / cost)


def score(
    bank: Bank,
    answers: Mapping[str, str],
    value: Value,
    hourly_cost: Decimal | None,
    *,
    record: Record,
) -> Score:
    """Risk 0–100 (weighted answers over the maximum), per area too, and the recommendation,
    which the strike record weighs in on.

    Zero-tolerance questions decide on their own (any answer but "no" means parting ways), so
    they are left out of the risk; otherwise they would hold down every other score.
    """
    earned: dict[str, int] = {}
    possible: dict[str, int] = {}
    for question in bank.questions:
        if question.zero_tolerance:
            continue
        points = ANSWER_POINTS[answers.get(question.key, "no")]
        earned[question.area] = earned.get(question.area, 0) + question.weight * points
        possible[question.area] = possible.get(question.area, 0) + question.weight * 2
    risk = _percent(sum(earned.values()), sum(possible.values()))
    findings = tuple(
        question.key
        for question in bank.questions
        if question.zero_tolerance and answers.get(question.key, "no") != "no"
    )
    ratio = value_ratio(value, hourly_cost)
    from_answers = recommend(
        bank,
        risk=risk,
        zero_tolerance=bool(findings),
        ratio=ratio,
        value=value,
        wants_what_we_lack=answers.get("wants_what_we_lack") == "often",
    )
    return Score(
        risk=risk,
        areas={area: _percent(earned[area], possible[area]) for area in possible},
        value_ratio=ratio,
        zero_tolerance=findings,
        from_answers=from_answers,
        recommendation=weigh_record(from_answers, record),
        reasons=_reasons(bank, answers, findings),
    )


def recommend(
    bank: Bank,
    *,
    risk: int,
    zero_tolerance: bool,
    ratio: float | None,
    value: Value,
    wants_what_we_lack: bool,
) -> Recommendation:
    """The rule of DOMAIN.md §5, first match wins:

    1. any zero-tolerance finding → part ways;
    2. high risk, costing more than they pay, and unlikely to change → part ways;
    3. high risk and they want what we do not offer → refer;
    4. high risk but valuable (value ratio, reference, costly to lose) or promising → keep on
       our terms;
    5. any other high or medium risk → a real conversation;
    6. low risk → nurture.
    """
    if zero_tolerance:
        return Recommendation.PART_WAYS
    if risk >= bank.high:
        if ratio is not None and ratio < 1 and not value.can_change:
            return Recommendation.PART_WAYS
        if wants_what_we_lack:
            return Recommendation.REFER
        valuable = (
            (ratio is not None and ratio >= bank.valuable_ratio)
            or _pays_for_nothing(value)
            or value.reference_account
            or value.costly_to_lose
        )
        if valuable or value.star_potential:
            return Recommendation.KEEP_ON_TERMS
        return Recommendation.CONVERSATION
    if risk >= bank.medium:
        return Recommendation.CONVERSATION
    return Recommendation.NURTURE


def weigh_record(recommendation: Recommendation, record: Record) -> Recommendation:
    """The strike record's say: while a red card, a crossing of the threshold or an open
    escalation stands, the assessment never says all is well, so "keep up the good work"
    becomes "have a real conversation". It asks for no more than that: the record has its own
    path to the managers (the escalation, their decision), and an assessment that recommended
    parting ways on the record's account would flag the same incident as a second red card.
    """
    if record.stands and recommendation is Recommendation.NURTURE:
        return Recommendation.CONVERSATION
    return recommendation


def _pays_for_nothing(value: Value) -> bool:
    # Revenue with no support hours: no ratio to compute, but plainly worth keeping.
    return bool(value.monthly_revenue and value.monthly_revenue > 0 and value.support_hours == 0)


def _reasons(bank: Bank, answers: Mapping[str, str], findings: tuple[str, ...]) -> tuple[str, ...]:
    weighted = sorted(
        (
            (question.weight * ANSWER_POINTS[answers.get(question.key, "no")], index, question.key)
            for index, question in enumerate(bank.questions)
            if question.key not in findings
        ),
        key=lambda item: (-item[0], item[1]),
    )
    top = [key for points, _index, key in weighted if points > 0]
    return (*findings, *top)[:TOP_REASONS]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
