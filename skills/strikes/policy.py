"""The strike policy of DOMAIN.md §3 as pure functions: no I/O, no clock, no database.

``is_active`` is the rule that decides whether a strike counts now. The database counts with its
SQL copy (``storage.repositories.active_strikes``); both are built from the values of
``storage.strike_rule`` (the severities, where the window starts), and
``tests/storage/test_active_strike_rule.py`` keeps them equal.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from storage.strike_rule import FLAG_SEVERITY, STATE_RISK, STRIKE_SEVERITIES, window_start

# Severity and ClientState live beside the columns that store them, so that storage can name
# them without importing the skills (the board derives the state in SQL); the skills keep
# naming them through the policy.
from storage.strike_rule import ClientState as ClientState
from storage.strike_rule import Severity as Severity


class Decision(StrEnum):
    """What a manager can decide about a client."""

    KEEP_ON_TERMS = "keep_on_terms"
    CONVERSATION = "conversation"
    REFER = "refer"
    OFFBOARDING = "offboarding"
    FIRED = "fired"
    CLEARED = "cleared"


@dataclass(frozen=True)
class Policy:
    """A tenant's numbers; the defaults are DOMAIN.md's."""

    threshold: int = 2
    window_days: int = 180
    non_payment_red_after_days: int = 60

    @property
    def window(self) -> timedelta:
        """How long a strike stays active."""
        return timedelta(days=self.window_days)

    def window_start(self, now: datetime) -> datetime:
        """Where the window of strikes active at ``now`` starts (the one rule, shared with the
        SQL: ``storage.strike_rule.window_start``)."""
        return window_start(now, self.window)


@dataclass(frozen=True)
class Strike:
    """What the policy needs to know of one report."""

    severity: Severity
    occurred_at: datetime
    recorded_at: datetime
    voided: bool = False


@dataclass(frozen=True)
class StrikeSummary:
    """The active strikes of a client, aggregated."""

    count: int = 0
    reds: int = 0
    last_recorded_at: datetime | None = None


@dataclass(frozen=True)
class LastDecision:
    """The most recent decision on a client."""

    decision: Decision
    decided_at: datetime


def default_severity(
    category_severity: Severity,
    *,
    red_when_overdue: bool,
    days_overdue: int | None,
    policy: Policy,
) -> Severity:
    """The severity a report gets when the reporter does not choose one."""
    overdue = days_overdue is not None and days_overdue >= policy.non_payment_red_after_days
    if red_when_overdue and overdue:
        return Severity.RED
    return category_severity


def expires_at(strike: Strike, policy: Policy) -> datetime:
    """When a strike stops counting."""
    return strike.occurred_at + policy.window


def is_active(strike: Strike, policy: Policy, now: datetime, reset_at: datetime | None) -> bool:
    """Whether a report counts as a strike now.

    Notes never count; voided reports never count; a strike counts until the end of its window
    (exclusive: ``expires_at``) and only when it was recorded after the client's strikes were
    last cleared (one recorded at the very moment of the clear counts as before it).
    """
    if strike.voided or strike.severity not in STRIKE_SEVERITIES:
        return False
    if strike.occurred_at <= policy.window_start(now):
        return False
    return reset_at is None or strike.recorded_at > reset_at


def summarize(
    strikes: list[Strike], policy: Policy, now: datetime, reset_at: datetime | None
) -> StrikeSummary:
    """The summary of the active strikes among ``strikes``."""
    active = [strike for strike in strikes if is_active(strike, policy, now, reset_at)]
    return StrikeSummary(
        count=len(active),
        reds=sum(1 for strike in active if strike.severity is Severity.RED),
        last_recorded_at=max((strike.recorded_at for strike in active), default=None),
    )


def with_assessment_flag(
    summary: StrikeSummary,
    flagged_at: datetime | None,
    policy: Policy,
    now: datetime,
    reset_at: datetime | None,
) -> StrikeSummary:
    """Add an assessment's flag (a zero-tolerance answer, or "part ways") as one red strike
    recorded when the assessment was finished, active for the same window as any strike."""
    if flagged_at is None:
        return summary
    flag = Strike(FLAG_SEVERITY, flagged_at, flagged_at)
    return with_strike(summary, flag, policy, now, reset_at)


def with_strike(
    summary: StrikeSummary,
    strike: Strike,
    policy: Policy,
    now: datetime,
    reset_at: datetime | None,
) -> StrikeSummary:
    """``summary`` with ``strike`` counted too, when it is active."""
    if not is_active(strike, policy, now, reset_at):
        return summary
    latest = max(filter(None, (summary.last_recorded_at, strike.recorded_at)))
    red = 1 if strike.severity is Severity.RED else 0
    return StrikeSummary(summary.count + 1, summary.reds + red, latest)


def crossed_by_red(summary: StrikeSummary) -> bool:
    """Whether an active red strike puts the client over the threshold on its own (zero
    tolerance), whatever the count."""
    return summary.reds > 0


def is_crossed(summary: StrikeSummary, policy: Policy) -> bool:
    """Whether the threshold is crossed: enough strikes, or one red (zero tolerance)."""
    return crossed_by_red(summary) or summary.count >= policy.threshold


def derive_state(
    summary: StrikeSummary, policy: Policy, last_decision: LastDecision | None
) -> ClientState:
    """The client's state.

    A manager's decision stands until a strike is recorded after it; from then on the strikes
    speak again, so a new strike after a decision can cross the threshold once more. The risk
    board derives it in SQL (``storage.repositories.board.state_case``);
    ``tests/storage/test_board_order.py`` keeps the two equal.
    """
    if last_decision is not None:
        newer = summary.last_recorded_at is not None and (
            summary.last_recorded_at > last_decision.decided_at
        )
        if not newer:
            return ClientState(last_decision.decision.value)
    if is_crossed(summary, policy):
        return ClientState.THRESHOLD
    if summary.count > 0:
        return ClientState.WATCH
    return ClientState.OK


def risk_order(state: ClientState, summary: StrikeSummary) -> tuple[int, int, int, float]:
    """A sort key: undecided crossings first, then more reds, more strikes, most recent. The
    board sorts in SQL (``storage.repositories.board``, from the same ``STATE_RISK``); this is
    the rule as docs/policy.md states it, which tests/storage/test_board_order.py holds
    the SQL to."""
    recent = summary.last_recorded_at.timestamp() if summary.last_recorded_at else 0.0
    return (STATE_RISK[state], -summary.reds, -summary.count, -recent)
