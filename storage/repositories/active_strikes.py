"""The strike rule in SQL: the one expression every query that counts active strikes uses.

It is ``skills.strikes.policy.is_active`` written for the database, from the same values
(``storage.strike_rule``): a strike counts while it is yellow or red, not voided, happened after
the window's start, and was recorded after the client's strikes were last cleared. The card
(``ClientRepository.with_strikes``), the board (``storage.repositories.board``), the
one-reporter note and the weekly summary (``SummaryRepository``) all build their conditions
here, and ``tests/storage/test_active_strike_rule.py`` compares them with the pure rule on
generated data, on SQLite and on PostgreSQL.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, case, false, func, or_, true
from sqlmodel import col

from storage.models import Client, Incident
from storage.strike_rule import FLAG_SEVERITY, STRIKE_SEVERITIES, Severity

type Moment = SQLColumnExpression[datetime | None]


@dataclass(frozen=True)
class StrikeColumns:
    """Where a query finds what the rule needs to know of a strike.

    ``severity`` is a column, or the severity that every such strike has (an assessment's
    flag). ``voided_at`` is None for strikes nobody voids. ``present`` (the strike exists: a
    flag is set) and ``on_record`` (it was recorded by the moment asked about) are further
    conditions when given.
    """

    severity: SQLColumnExpression[str] | Severity
    occurred_at: Moment
    recorded_at: Moment
    voided_at: Moment | None
    reset_at: Moment
    present: ColumnElement[bool] | None = None
    on_record: ColumnElement[bool] | None = None

    def recorded_by(self, moment: datetime) -> "StrikeColumns":
        """Only the strikes recorded by ``moment``; voids and clears as the record is now."""
        return replace(self, on_record=self.recorded_at <= moment)

    def as_of(self, moment: datetime) -> "StrikeColumns":
        """The strikes as the record stood at ``moment``: recorded by then, and voided or
        cleared only when that had happened by then."""
        return replace(
            self.recorded_by(moment),
            voided_at=None if self.voided_at is None else _by(self.voided_at, moment),
            reset_at=_by(self.reset_at, moment),
        )


def _by(happened_at: Moment, moment: datetime) -> ColumnElement[Any]:
    """``happened_at`` when it is not after ``moment``; NULL (it had not happened yet) else."""
    return case((happened_at <= moment, happened_at))


# A report, in a query that joins each incident to its client.
REPORT = StrikeColumns(
    severity=col(Incident.severity),
    occurred_at=col(Incident.occurred_at),
    recorded_at=col(Incident.recorded_at),
    voided_at=col(Incident.voided_at),
    reset_at=col(Client.strikes_reset_at),
)

# A client's assessment flag: a red strike that happened, and was recorded, when the assessment
# was finished; nobody voids it (the pure rule's ``with_assessment_flag``).
FLAG = StrikeColumns(
    severity=FLAG_SEVERITY,
    occurred_at=col(Client.flagged_at),
    recorded_at=col(Client.flagged_at),
    voided_at=None,
    reset_at=col(Client.strikes_reset_at),
    present=col(Client.flagged_at).is_not(None),
)


def of_its_client() -> ColumnElement[bool]:
    """A report joined to its client: the rule reads the client's clear from the client's row."""
    return and_(
        col(Incident.client_id) == col(Client.id),
        col(Incident.tenant_id) == col(Client.tenant_id),
    )


def is_strike(severity: SQLColumnExpression[str] | Severity) -> ColumnElement[bool]:
    """Whether a report of this severity counts as a strike at all: a note never does."""
    if isinstance(severity, Severity):
        return true() if severity in STRIKE_SEVERITIES else false()
    return severity.in_(STRIKE_SEVERITIES)


def is_red(strike: StrikeColumns) -> ColumnElement[bool]:
    """Whether the strike is red (zero tolerance: it crosses the threshold on its own)."""
    if isinstance(strike.severity, Severity):
        return true() if strike.severity is Severity.RED else false()
    return strike.severity == Severity.RED.value


def is_active(
    strike: StrikeColumns, *, window_start: datetime | ColumnElement[datetime]
) -> ColumnElement[bool]:
    """Whether the strike is active at the moment whose window starts at ``window_start``
    (``storage.strike_rule.window_start``, or a parameter bound to it):
    ``skills.strikes.policy.is_active`` in SQL."""
    conditions = [
        is_strike(strike.severity),
        strike.occurred_at > window_start,
        # A strike recorded at the very moment of a clear counts as before it.
        or_(strike.reset_at.is_(None), strike.recorded_at > strike.reset_at),
    ]
    if strike.voided_at is not None:
        conditions.append(strike.voided_at.is_(None))
    conditions += [extra for extra in (strike.present, strike.on_record) if extra is not None]
    return and_(*conditions)


@dataclass(frozen=True)
class ActiveCounts:
    """How many strikes are active, and how many of them are red, as SQL expressions."""

    strikes: ColumnElement[int]
    reds: ColumnElement[int]


def count_active(strike: StrikeColumns, *, window_start: datetime) -> ActiveCounts:
    """Aggregates over a client's joined incidents: its active strikes and reds among them."""
    active = is_active(strike, window_start=window_start)
    return ActiveCounts(
        strikes=func.count(case((active, 1))),
        reds=func.count(case((and_(active, is_red(strike)), 1))),
    )


def one_if_active(strike: StrikeColumns, *, window_start: datetime) -> ActiveCounts:
    """A strike held on the client's own row (its flag): 1 when it is active, else 0."""
    active = is_active(strike, window_start=window_start)
    return ActiveCounts(
        strikes=case((active, 1), else_=0),
        reds=case((and_(active, is_red(strike)), 1), else_=0),
    )
