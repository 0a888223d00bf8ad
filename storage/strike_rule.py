"""The values the strike rule and the client's state are built from, shared by their two copies.

Whether a strike is active now is decided in two places that must never disagree: the pure
function ``skills.strikes.policy.is_active`` (the rule as docs/policy.md states it, tested rule
by rule) and the SQL expression of ``storage.repositories.active_strikes`` (so that the card,
the board and the weekly summary count in the database). Storage may not import the skills, so
what both copies need lives here, beside the ``incident.severity`` column whose values it names.
The same holds for the client's state (``skills.strikes.policy.derive_state``), which the risk
board derives in SQL: the state names and their order on the board are here.
The module imports nothing but the standard library: the policy stays pure, free of SQLAlchemy.
"""

from datetime import datetime, timedelta
from enum import StrEnum


class Severity(StrEnum):
    """How much one report weighs; the value is what ``incident.severity`` stores."""

    NOTE = "note"
    YELLOW = "yellow"
    RED = "red"


# The severities that count as a strike. A note is recorded and never counts.
STRIKE_SEVERITIES: tuple[Severity, ...] = (Severity.YELLOW, Severity.RED)

# An assessment's flag (a zero-tolerance answer, or "part ways") weighs as one red strike,
# recorded when the assessment was finished.
FLAG_SEVERITY = Severity.RED


class ClientState(StrEnum):
    """Where a client stands: by strikes, or by the last decision a manager recorded; the value
    is what ``client.state`` and ``client.last_decision`` store."""

    OK = "ok"
    WATCH = "watch"
    THRESHOLD = "threshold"
    KEEP_ON_TERMS = "keep_on_terms"
    CONVERSATION = "conversation"
    REFER = "refer"
    OFFBOARDING = "offboarding"
    FIRED = "fired"
    CLEARED = "cleared"


# The risk board's order of states: lower sorts first (undecided crossings, then clients on
# their way out, ...). The pure ``skills.strikes.policy.risk_order`` and the board's SQL
# (``storage.repositories.board``) both rank by it.
STATE_RISK: dict[ClientState, int] = {
    ClientState.THRESHOLD: 0,
    ClientState.OFFBOARDING: 1,
    ClientState.WATCH: 2,
    ClientState.KEEP_ON_TERMS: 3,
    ClientState.CONVERSATION: 4,
    ClientState.REFER: 5,
    ClientState.FIRED: 6,
    ClientState.CLEARED: 7,
    ClientState.OK: 8,
}


def window_start(now: datetime, window: timedelta) -> datetime:
    """The moment a strike active at ``now`` must have happened after (strictly).

    The window runs from when a strike happened, and a strike stops counting exactly ``window``
    after that: one that happened at ``now - window`` has just expired.
    """
    return now - window
