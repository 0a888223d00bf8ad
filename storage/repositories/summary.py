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
        ``before`` for the trend. Strikes reset by a manager count from the reset on."""
        after_reset = or_(
            col(Client.strikes_reset_at).is_(None),
            col(Incident.recorded_at) > col(Client.strikes_reset_at),
        )
        active_now = and_(
            col(Incident.voided_at).is_(None),
            col(Incident.occurred_at) > at - window,
            after_reset,
        )
        active_before = and_(
            or_(col(Incident.voided_at).is_(None), col(Incident.voided_at) > before),
            col(Incident.occurred_at) > before - window,
            col(Incident.recorded_at) <= before,
            after_reset,
        )
        strikes = func.count(case((active_now, 1)))
        reds = func.count(case((and_(active_now, col(Incident.severity) == "red"), 1)))
        statement = (
            sa_select(
                col(Client.id),
                col(Client.name),
                col(Client.state),
                strikes,
                reds,
                func.count(case((active_before, 1))),
            )
            .join(
                Incident,
                and_(
                    col(Incident.client_id) == col(Client.id),
                    col(Incident.tenant_id) == col(Client.tenant_id),
                ),
            )
            .where(
                col(Client.tenant_id) == tenant_id,
                col(Incident.severity).in_(STRIKE_SEVERITIES),
                col(Incident.occurred_at) > before - window,
                col(Incident.recorded_at) <= at,
            )
            .group_by(col(Client.id), col(Client.name), col(Client.state))
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
        self, tenant_id: str, *, crossed_since: datetime, reported_since: datetime
    ) -> list[tuple[str, int]]:
        """Categories reported about more than one of the clients that crossed the threshold
        since ``crossed_since``, with how many of those clients each; most common first."""
        crossed = (
            sa_select(col(Escalation.client_id))
            .where(
                col(Escalation.tenant_id) == tenant_id,
                col(Escalation.opened_at) >= crossed_since,
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
            )
            .group_by(col(Incident.category))
            .having(clients > 1)
            .order_by(clients.desc(), col(Incident.category))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [(str(category), int(count)) for category, count in rows]

    async def top_reporters(
        self, tenant_id: str, *, window_start: datetime, client_ids: list[int]
    ) -> dict[int, TopReporter]:
        """For each client, who filed most of its active strikes, and of how many."""
        if not client_ids:
            return {}
        statement = (
            sa_select(
                col(Incident.client_id),
                col(Incident.reporter_id),
                col(Incident.reporter_name),
                func.count(),
            )
            .join(Client, col(Client.id) == col(Incident.client_id))
            .where(
                col(Incident.tenant_id) == tenant_id,
                col(Incident.client_id).in_(client_ids),
                col(Incident.voided_at).is_(None),
                col(Incident.severity).in_(STRIKE_SEVERITIES),
                col(Incident.occurred_at) > window_start,
                or_(
                    col(Client.strikes_reset_at).is_(None),
                    col(Incident.recorded_at) > col(Client.strikes_reset_at),
                ),
            )
            .group_by(
                col(Incident.client_id), col(Incident.reporter_id), col(Incident.reporter_name)
            )
        )
        totals: dict[int, int] = {}
        best: dict[int, TopReporter] = {}
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        for client_id, _reporter_id, name, count in rows:
            totals[client_id] = totals.get(client_id, 0) + int(count)
            if client_id not in best or int(count) > best[client_id].filed:
                best[client_id] = TopReporter(int(client_id), str(name), int(count), 0)
        return {
            client_id: TopReporter(client_id, top.reporter_name, top.filed, totals[client_id])
            for client_id, top in best.items()
        }
