"""DOMAIN.md §3, rule by rule, as tables over the pure policy functions."""

from datetime import UTC, datetime, timedelta

import pytest

from skills.strikes.policy import (
    ClientState,
    Decision,
    LastDecision,
    Policy,
    Severity,
    Strike,
    StrikeSummary,
    default_severity,
    derive_state,
    is_active,
    is_crossed,
    risk_order,
    summarize,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
DEFAULT = Policy()


def strike(severity: Severity = Severity.YELLOW, days_ago: float = 0, **kw: object) -> Strike:
    """A strike that happened and was recorded ``days_ago`` before T0."""
    moment = T0 - timedelta(days=days_ago)
    return Strike(severity, moment, moment, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("strikes", "expected"),
    [
        ([], ClientState.OK),
        ([strike()], ClientState.WATCH),
        ([strike(), strike(days_ago=1)], ClientState.THRESHOLD),
        ([strike(Severity.RED)], ClientState.THRESHOLD),
        ([strike(Severity.NOTE), strike(Severity.NOTE), strike(Severity.NOTE)], ClientState.OK),
        ([strike(), strike(Severity.NOTE)], ClientState.WATCH),
        ([strike(), strike(voided=True)], ClientState.WATCH),
        ([strike(Severity.RED, voided=True)], ClientState.OK),
    ],
    ids=[
        "nothing",
        "one yellow is a watch",
        "two yellows make a red",
        "a red alone crosses (zero tolerance)",
        "notes never count",
        "a note beside a yellow",
        "a voided strike does not count",
        "a voided red does not count",
    ],
)
def test_state_from_strikes(strikes: list[Strike], expected: ClientState) -> None:
    summary = summarize(strikes, DEFAULT, T0, reset_at=None)
    assert derive_state(summary, DEFAULT, None) is expected


@pytest.mark.parametrize(
    ("age", "active"),
    [
        (timedelta(days=179, hours=23), True),
        (timedelta(days=180) - timedelta(seconds=1), True),
        (timedelta(days=180), False),
        (timedelta(days=181), False),
    ],
    ids=["a day before the edge", "a second before the edge", "at the edge", "after"],
)
def test_strike_expires_at_the_window_edge(age: timedelta, active: bool) -> None:
    happened = T0 - age
    assert is_active(Strike(Severity.YELLOW, happened, happened), DEFAULT, T0, None) is active


def test_window_and_threshold_are_settings() -> None:
    policy = Policy(threshold=3, window_days=30)
    strikes = [strike(days_ago=1), strike(days_ago=2), strike(days_ago=31)]
    summary = summarize(strikes, policy, T0, None)
    assert summary.count == 2
    assert derive_state(summary, policy, None) is ClientState.WATCH
    assert derive_state(summarize([*strikes[:2], strike()], policy, T0, None), policy, None) is (
        ClientState.THRESHOLD
    )


@pytest.mark.parametrize(
    ("decision", "new_strikes", "expected"),
    [
        (Decision.KEEP_ON_TERMS, 0, ClientState.KEEP_ON_TERMS),
        (Decision.CONVERSATION, 0, ClientState.CONVERSATION),
        (Decision.REFER, 0, ClientState.REFER),
        (Decision.OFFBOARDING, 0, ClientState.OFFBOARDING),
        (Decision.FIRED, 0, ClientState.FIRED),
        (Decision.KEEP_ON_TERMS, 1, ClientState.THRESHOLD),
        (Decision.CONVERSATION, 1, ClientState.THRESHOLD),
    ],
    ids=[
        "keep stands",
        "conversation stands",
        "refer stands",
        "offboarding stands",
        "fired stands",
        "a new strike after keeping crosses again",
        "a new strike after a conversation crosses again",
    ],
)
def test_decision_stands_until_a_new_strike(
    decision: Decision, new_strikes: int, expected: ClientState
) -> None:
    decided_at = T0 - timedelta(days=5)
    strikes = [strike(days_ago=10), strike(days_ago=9)]
    strikes += [strike(days_ago=1) for _ in range(new_strikes)]
    summary = summarize(strikes, DEFAULT, T0, reset_at=None)
    assert derive_state(summary, DEFAULT, LastDecision(decision, decided_at)) is expected


def test_clearing_resets_strikes_and_one_new_strike_is_a_watch() -> None:
    cleared_at = T0 - timedelta(days=5)
    old = [strike(days_ago=10), strike(days_ago=9)]
    decision = LastDecision(Decision.CLEARED, cleared_at)
    after_clear = summarize(old, DEFAULT, T0, reset_at=cleared_at)
    assert after_clear == StrikeSummary()
    assert derive_state(after_clear, DEFAULT, decision) is ClientState.CLEARED
    with_new = summarize([*old, strike(days_ago=1)], DEFAULT, T0, reset_at=cleared_at)
    assert derive_state(with_new, DEFAULT, decision) is ClientState.WATCH
    two_new = summarize([*old, strike(days_ago=1), strike()], DEFAULT, T0, reset_at=cleared_at)
    assert derive_state(two_new, DEFAULT, decision) is ClientState.THRESHOLD


def test_a_strike_recorded_at_the_moment_of_the_decision_is_before_it() -> None:
    summary = StrikeSummary(count=2, reds=0, last_recorded_at=T0)
    decision = LastDecision(Decision.KEEP_ON_TERMS, T0)
    assert derive_state(summary, DEFAULT, decision) is ClientState.KEEP_ON_TERMS


@pytest.mark.parametrize(
    ("summary", "crossed"),
    [
        (StrikeSummary(1, 0), False),
        (StrikeSummary(2, 0), True),
        (StrikeSummary(1, 1), True),
        (StrikeSummary(0, 0), False),
    ],
)
def test_is_crossed(summary: StrikeSummary, crossed: bool) -> None:
    assert is_crossed(summary, DEFAULT) is crossed


@pytest.mark.parametrize(
    ("base", "red_when_overdue", "days", "expected"),
    [
        (Severity.YELLOW, True, None, Severity.YELLOW),
        (Severity.YELLOW, True, 59, Severity.YELLOW),
        (Severity.YELLOW, True, 60, Severity.RED),
        (Severity.YELLOW, False, 400, Severity.YELLOW),
        (Severity.RED, False, None, Severity.RED),
        (Severity.NOTE, False, None, Severity.NOTE),
    ],
    ids=[
        "unpaid, no days given",
        "unpaid, a day short",
        "unpaid, at the limit",
        "days only matter for unpaid",
        "abuse is red",
        "a note stays a note",
    ],
)
def test_default_severity(
    base: Severity, red_when_overdue: bool, days: int | None, expected: Severity
) -> None:
    result = default_severity(
        base, red_when_overdue=red_when_overdue, days_overdue=days, policy=DEFAULT
    )
    assert result is expected


def test_risk_order_puts_undecided_crossings_first() -> None:
    rows = [
        (ClientState.OK, StrikeSummary()),
        (ClientState.WATCH, StrikeSummary(1, 0, T0)),
        (ClientState.THRESHOLD, StrikeSummary(2, 0, T0)),
        (ClientState.THRESHOLD, StrikeSummary(1, 1, T0)),
        (ClientState.KEEP_ON_TERMS, StrikeSummary(3, 0, T0)),
    ]
    ordered = sorted(rows, key=lambda row: risk_order(*row))
    assert [state for state, _ in ordered] == [
        ClientState.THRESHOLD,
        ClientState.THRESHOLD,
        ClientState.WATCH,
        ClientState.KEEP_ON_TERMS,
        ClientState.OK,
    ]
    assert ordered[0][1].reds == 1
