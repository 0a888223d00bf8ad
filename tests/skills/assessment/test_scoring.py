"""The assessment's scoring and every branch of the recommendation rule, with its edges."""

from decimal import Decimal

import pytest

from skills.assessment.bank import Bank, Question, bank
from skills.assessment.playbooks import PLAYBOOKS, Recommendation
from skills.assessment.scoring import Record, Value, recommend, score, value_ratio, weigh_record

HIGH, MEDIUM = bank().high, bank().medium
CLEAR = Record()


def test_the_bank_is_versioned_and_covers_every_group() -> None:
    current = bank()
    assert current.version >= 1
    assert current.steps[-1] == "value"
    assert {group for group, _ in current.groups} == {
        "effort",
        "respect",
        "expectations",
        "segment",
        "partnership",
        "money",
        "honesty",
        "demands",
    }
    assert {question.area for question in current.questions} == {"ethical", "financial", "fit"}
    assert all(PLAYBOOKS[recommendation] for recommendation in Recommendation)


def test_risk_and_areas() -> None:
    current = bank()
    nothing = score(current, {}, Value(), Decimal(50), record=CLEAR)
    assert (nothing.risk, nothing.areas) == (0, {"financial": 0, "ethical": 0, "fit": 0})
    everything = {question.key: "often" for question in current.questions}
    assert score(current, everything, Value(), Decimal(50), record=CLEAR).risk == 100
    half = {question.key: "sometimes" for question in current.questions}
    assert score(current, half, Value(), Decimal(50), record=CLEAR).risk == 50
    # Zero-tolerance questions decide the recommendation, not the risk.
    others = {q.key: "often" for q in current.questions if not q.zero_tolerance}
    assert score(current, others, Value(), Decimal(50), record=CLEAR).risk == 100


def test_value_ratio() -> None:
    assert value_ratio(Value(Decimal(1000), Decimal(10)), Decimal(50)) == 2.0
    assert value_ratio(Value(Decimal(1000), Decimal(0)), Decimal(50)) is None
    assert value_ratio(Value(None, Decimal(10)), Decimal(50)) is None
    assert value_ratio(Value(Decimal(1000), Decimal(10)), Decimal(0)) is None
    # No cost of a support hour set: no ratio, rather than one from a value nobody entered.
    assert value_ratio(Value(Decimal(1000), Decimal(10)), None) is None


@pytest.mark.parametrize(
    ("risk", "zero", "ratio", "value", "lacks", "expected"),
    [
        (0, True, None, Value(), False, Recommendation.PART_WAYS),
        (HIGH, False, 0.99, Value(can_change=False), False, Recommendation.PART_WAYS),
        (HIGH, False, 1.0, Value(can_change=False), False, Recommendation.CONVERSATION),
        (HIGH, False, 0.5, Value(can_change=True), False, Recommendation.CONVERSATION),
        (HIGH, False, None, Value(can_change=False), False, Recommendation.CONVERSATION),
        (HIGH, False, 0.5, Value(can_change=True), True, Recommendation.REFER),
        (HIGH, False, 2.0, Value(), False, Recommendation.KEEP_ON_TERMS),
        (HIGH, False, 1.99, Value(), False, Recommendation.CONVERSATION),
        (HIGH, False, None, Value(reference_account=True), False, Recommendation.KEEP_ON_TERMS),
        (HIGH, False, None, Value(costly_to_lose=True), False, Recommendation.KEEP_ON_TERMS),
        (HIGH, False, None, Value(star_potential=True), False, Recommendation.KEEP_ON_TERMS),
        (
            HIGH,
            False,
            None,
            Value(monthly_revenue=Decimal(5000), support_hours=Decimal(0)),
            False,
            Recommendation.KEEP_ON_TERMS,
        ),
        (HIGH, False, 0.5, Value(can_change=False), True, Recommendation.PART_WAYS),
        (HIGH - 1, False, 0.1, Value(can_change=False), True, Recommendation.CONVERSATION),
        (MEDIUM, False, None, Value(), False, Recommendation.CONVERSATION),
        (MEDIUM - 1, False, None, Value(), True, Recommendation.NURTURE),
        (0, False, None, Value(), False, Recommendation.NURTURE),
    ],
    ids=[
        "zero tolerance beats everything",
        "high risk, costs more, won't change",
        "high risk, ratio exactly 1 is not 'costs more'",
        "high risk, costs more, can change",
        "high risk, value unknown",
        "high risk, wants what we lack",
        "high risk, ratio at the valuable edge",
        "high risk, ratio just under the valuable edge",
        "high risk, reference account",
        "high risk, costly to lose",
        "high risk, star potential",
        "high risk, pays and takes no hours",
        "part ways and refer both match: part ways first",
        "one point under high risk",
        "medium risk at its edge",
        "one point under medium risk",
        "low risk",
    ],
)
def test_recommendation_rule(
    risk: int,
    zero: bool,
    ratio: float | None,
    value: Value,
    lacks: bool,
    expected: Recommendation,
) -> None:
    result = recommend(
        bank(), risk=risk, zero_tolerance=zero, ratio=ratio, value=value, wants_what_we_lack=lacks
    )
    assert result is expected


def test_zero_tolerance_findings_and_reasons() -> None:
    current = bank()
    answers = {"threatens": "sometimes", "pays_late": "often", "shifting_goals": "sometimes"}
    result = score(current, answers, Value(), Decimal(50), record=CLEAR)
    assert result.zero_tolerance == ("threatens",)
    assert result.recommendation is Recommendation.PART_WAYS
    assert result.reasons == ("threatens", "pays_late", "shifting_goals")


def test_weights_come_from_the_bank() -> None:
    light = Question("a", "g", "fit", 1)
    heavy = Question("b", "g", "fit", 3)
    custom = Bank(version=9, groups=(("g", (light, heavy)),), high=60, medium=30, valuable_ratio=2)
    assert score(custom, {"b": "often"}, Value(), Decimal(50), record=CLEAR).risk == 75
    assert score(custom, {"a": "often"}, Value(), Decimal(50), record=CLEAR).risk == 25


def test_sometimes_wanting_what_we_lack_is_not_refer() -> None:
    current = bank()
    answers = {q.key: "often" for q in current.questions if not q.zero_tolerance}
    answers["wants_what_we_lack"] = "sometimes"
    result = score(current, answers, Value(can_change=True), Decimal(50), record=CLEAR)
    assert result.recommendation is Recommendation.CONVERSATION


@pytest.mark.parametrize(
    ("record", "answers", "expected"),
    [
        (CLEAR, Recommendation.NURTURE, Recommendation.NURTURE),
        (Record(crossed=True), Recommendation.NURTURE, Recommendation.CONVERSATION),
        (Record(escalation_open=True), Recommendation.NURTURE, Recommendation.CONVERSATION),
        (Record(crossed=True), Recommendation.KEEP_ON_TERMS, Recommendation.KEEP_ON_TERMS),
        (Record(crossed=True), Recommendation.PART_WAYS, Recommendation.PART_WAYS),
    ],
    ids=[
        "nothing stands: the answers decide",
        "over the threshold (a red card among them): never all is well",
        "an escalation waiting: never all is well",
        "what is not all is well stays",
        "the record never asks for less than the answers",
    ],
)
def test_the_record_weighs_in(
    record: Record, answers: Recommendation, expected: Recommendation
) -> None:
    assert weigh_record(answers, record) is expected


def test_the_score_keeps_what_the_answers_alone_said() -> None:
    result = score(bank(), {}, Value(), None, record=Record(crossed=True))
    assert (result.from_answers, result.recommendation) == (
        Recommendation.NURTURE,
        Recommendation.CONVERSATION,
    )
    assert result.value_ratio is None
