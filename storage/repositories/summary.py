"""The weekly risk summary's numbers, each one SQL aggregate over a tenant's rows.

Nothing here loops over incidents in Python: with a million reports the database does the
counting with the ``(tenant_id, recorded_at)`` and ``(tenant_id, client_id, occurred_at)`` indexes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Client, Escalation, Incident
from storage.repositories.clients import STRIKE_SEVERITIES


@dataclass(frozen=True)
class RiskRow:
    """A client among the riskiest: active strikes now and at the start of the week."""

    client_id: int
    name: str
    state: str
    strikes: int
    reds: int
    strikes_before: int


@dataclass(frozen=True)
class Crossing:
    """An escalation opened (a client crossed the threshold) or still waiting."""

    escalation_id: int
    client_id: int
    name: str
    opened_at: datetime


@dataclass(frozen=True)
class TopReporter:
    """The person who filed most of a client's active strikes."""

    client_id: int
    reporter_id: str
    reporter_name: str
    filed: int
    total: int


class SummaryRepository:
    """Aggregates over one tenant's reports and escalations."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def incidents_by_category(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> dict[str, int]:
        """Reports recorded in [start, end), not voided, counted per category."""
        statement = (
            sa_select(col(Incident.category), func.count())
            .where(
                col(Incident.tenant_id) == tenant_id,
                col(Incident.recorded_at) >= start,
                col(Incident.recorded_at) < end,
                col(Incident.voided_at).is_(None),
            )
            .group_by(col(Incident.category))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return {str(category): int(count) for category, count in rows}

    async def crossings(self, tenant_id: str, start: datetime, end: datetime) -> list[Crossing]:
        """Escalations opened in [start, end), oldest first."""
        return await self._escalations(
            tenant_id,
            and_(col(Escalation.opened_at) >= start, col(Escalation.opened_at) < end),
        )

    async def waiting(self, tenant_id: str) -> list[Crossing]:
        """Escalations still open (decisions waiting), oldest first."""
        return await self._escalations(tenant_id, col(Escalation.status) == "open")

    async def _escalations(self, tenant_id: str, condition: ColumnElement[bool]) -> list[Crossing]:
        statement = (
            sa_select(
                col(Escalation.id),
                col(Escalation.client_id),
                col(Client.name),
                col(Escalation.opened_at),
            )
            .join(Client, col(Client.id) == col(Escalation.client_id))
            .where(col(Escalation.tenant_id) == tenant_id, condition)
            .order_by(col(Escalation.opened_at), col(Escalation.id))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [Crossing(int(row[0]), int(row[1]), str(row[2]), row[3]) for row in rows]

    async def riskiest(
        self, tenant_id: str, *, at: datetime, before: datetime, window: timedelta, limit: int
    ) -> list[RiskRow]:
        """The clients with the most active strikes at ``at`` (reds first), with their count at
        ``before`` for the trend. An assessment's flag counts as a red strike, as on the board;
        a manager's reset counts from when it happened, so it lowers the trend."""
        reset = col(Client.strikes_reset_at)
        recorded = col(Incident.recorded_at)
        active_now = and_(
            col(Incident.voided_at).is_(None),
            col(Incident.occurred_at) > at - window,
            or_(reset.is_(None), recorded > reset),
        )
        active_before = and_(
            or_(col(Incident.voided_at).is_(None), col(Incident.voided_at) > before),
            col(Incident.occurred_at) > before - window,
            recorded <= before,
            or_(reset.is_(None), reset > before, recorded > reset),
        )
        flagged = col(Client.flagged_at)
        flag_now = case(
            (
                and_(flagged > at - window, flagged <= at, or_(reset.is_(None), flagged > reset)),
                1,
            ),
            else_=0,
        )
        flag_before = case(
            (
                and_(
                    flagged > before - window,
                    flagged <= before,
                    or_(reset.is_(None), reset > before, flagged > reset),
                ),
                1,
            ),
            else_=0,
        )
        reds = func.count(case((and_(active_now, col(Incident.severity) == "red"), 1))) + flag_now
        strikes = func.count(case((active_now, 1))) + flag_now
        statement = (
            sa_select(
                col(Client.id),
                col(Client.name),
                col(Client.state),
                strikes,
                reds,
                func.count(case((active_before, 1))) + flag_before,
            )
            .join(
                Incident,
                and_(
                    col(Incident.client_id) == col(Client.id),
                    col(Incident.tenant_id) == col(Client.tenant_id),
                    col(Incident.severity).in_(STRIKE_SEVERITIES),
                    col(Incident.occurred_at) > before - window,
                    recorded <= at,
                ),
                isouter=True,
            )
            .where(col(Client.tenant_id) == tenant_id)
            .group_by(col(Client.id), col(Client.name), col(Client.state), flagged, reset)
            .having(strikes > 0)
            .order_by(reds.desc(), strikes.desc(), col(Client.name))
            .limit(limit)
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [
            RiskRow(int(row[0]), str(row[1]), str(row[2]), int(row[3]), int(row[4]), int(row[5]))
            for row in rows
        ]

    async def recurring_categories(
        self, tenant_id: str, *, crossed_since: datetime, reported_since: datetime, until: datetime
    ) -> list[tuple[str, int]]:
        """Categories reported about more than one of the clients that crossed the threshold
        between ``crossed_since`` and ``until``, with how many of those clients each; most
        common first."""
        crossed = (
            sa_select(col(Escalation.client_id))
            .where(
                col(Escalation.tenant_id) == tenant_id,
                col(Escalation.opened_at) >= crossed_since,
                col(Escalation.opened_at) < until,
            )
            .distinct()
            .scalar_subquery()
        )
        clients = func.count(func.distinct(Incident.client_id))
        statement = (
            sa_select(col(Incident.category), clients)
            .where(
                col(Incident.tenant_id) == tenant_id,
                col(Incident.client_id).in_(crossed),
                col(Incident.voided_at).is_(None),
                col(Incident.recorded_at) >= reported_since,
                col(Incident.recorded_at) < until,
            )
            .group_by(col(Incident.category))
            .having(clients > 1)
            .order_by(clients.desc(), col(Incident.category))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [(str(category), int(count)) for category, count in rows]

    async def top_reporters(
        self, tenant_id: str, *, window_start: datetime, until: datetime, client_ids: list[int]
    ) -> dict[int, TopReporter]:
        """For each client, who filed most of its strikes active at ``until`` (ties go to the
        earliest reporter id), and of how many."""
        if not client_ids:
            return {}
        filed = func.count()
        statement = (
            sa_select(
                col(Incident.client_id),
                col(Incident.reporter_id),
                func.max(Incident.reporter_name),
                filed,
            )
            .join(Client, col(Client.id) == col(Incident.client_id))
            .where(
                col(Incident.tenant_id) == tenant_id,
                col(Incident.client_id).in_(client_ids),
                col(Incident.voided_at).is_(None),
                col(Incident.severity).in_(STRIKE_SEVERITIES),
                col(Incident.occurred_at) > window_start,
                col(Incident.recorded_at) < until,
                or_(
                    col(Client.strikes_reset_at).is_(None),
                    col(Incident.recorded_at) > col(Client.strikes_reset_at),
                ),
            )
            .group_by(col(Incident.client_id), col(Incident.reporter_id))
            .order_by(col(Incident.client_id), filed.desc(), col(Incident.reporter_id))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        totals: dict[int, int] = {}
        for client_id, _reporter, _name, count in rows:
            totals[int(client_id)] = totals.get(int(client_id), 0) + int(count)
        top: dict[int, TopReporter] = {}
        for client_id, reporter_id, name, count in rows:
            # Rows come most-filed first within each client: the first one is the top reporter.
            top.setdefault(
                int(client_id),
                TopReporter(
                    int(client_id), str(reporter_id), str(name), int(count), totals[int(client_id)]
                ),
            )
        return top
