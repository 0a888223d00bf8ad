"""The weekly risk summary's numbers, each one SQL aggregate over a tenant's rows.

Nothing here loops over incidents in Python: with a million reports the database does the
counting with the ``(tenant_id, recorded_at)`` index and the covering one on a client's strikes
(``(tenant_id, client_id, occurred_at, ...)``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import strike_rule
from storage.models import Client, Escalation, EscalationStatus, Incident
from storage.repositories.active_strikes import (
    FLAG,
    REPORT,
    count_active,
    is_active,
    is_strike,
    of_its_client,
    one_if_active,
)


@dataclass(frozen=True)
class RiskRow:
    """A client among the riskiest: active strikes now and at the start of the week, and what
    its state is derived from.

    ``strikes``, ``reds`` and ``strikes_before`` count the assessment's flag, as the board does.
    The rest is what ``skills.strikes.policy.derive_state`` reads, in the shape the card reads
    it: the reports' active strikes alone (``report_strikes``, ``report_reds``, and when the
    last of them was recorded), to which ``with_assessment_flag`` adds the flag
    (``flagged_at``, None when it was set after the summary's end) under the clear at
    ``strikes_reset_at``, and the client's last decision. The stored ``client.state`` is not
    here: it is the state as of the last recorded event, which expiry does not change.
    """

    client_id: int
    name: str
    strikes: int
    reds: int
    strikes_before: int
    report_strikes: int
    report_reds: int
    last_report_recorded_at: datetime | None
    flagged_at: datetime | None
    strikes_reset_at: datetime | None
    last_decision: str | None
    last_decision_at: datetime | None


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
        return await self._escalations(tenant_id, col(Escalation.status) == EscalationStatus.OPEN)

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
        ``before`` for the trend. An assessment's flag counts as a red strike, as on the board.

        The count at ``at`` leaves out what was recorded after it (it belongs to the next week)
        and takes voids and clears as they are now, like every number of the summary. The count
        at ``before`` is the record as it stood then, so a manager's clear during the week
        lowers the trend. Both are the one rule of ``active_strikes.is_active``, and so is the
        moment the last active report at ``at`` was recorded, which the state is derived from
        with the client's flag (as on record at ``at``), its clear and its last decision (both
        as they are now).
        """
        now_start = strike_rule.window_start(at, window)
        before_start = strike_rule.window_start(before, window)
        # Two passes: the ranking reads every client's strikes at ``at`` and counts nothing
        # else; the rest (the count at ``before``, the last active report) is counted for the
        # few clients ranked, from their own reports.
        ranked = await self._ranked(tenant_id, at=at, window_start=now_start, limit=limit)
        if not ranked:
            return []
        reports = count_active(REPORT.recorded_by(at), window_start=now_start)
        reports_before = count_active(REPORT.as_of(before), window_start=before_start)
        active_report = is_active(REPORT.recorded_by(at), window_start=now_start)
        counted = (
            sa_select(
                col(Client.id).label("client_id"),
                reports.strikes.label("strikes"),
                reports.reds.label("reds"),
                reports_before.strikes.label("strikes_before"),
                func.max(case((active_report, col(Incident.recorded_at)))).label("last_report"),
            )
            .join(Incident, of_its_client())
            .where(
                col(Client.tenant_id) == tenant_id,
                col(Client.id).in_(ranked),
                # Only reports that can be active at either moment, so that the client's
                # strikes index narrows them down; the counts above apply the rule itself.
                is_strike(REPORT.severity),
                col(Incident.occurred_at) > min(now_start, before_start),
                col(Incident.recorded_at) <= at,
            )
            .group_by(col(Client.id))
            .subquery("counted")
        )
        flag = one_if_active(FLAG.recorded_by(at), window_start=now_start)
        flag_before = one_if_active(FLAG.as_of(before), window_start=before_start)
        report_strikes = func.coalesce(counted.c.strikes, 0)
        report_reds = func.coalesce(counted.c.reds, 0)
        strikes = report_strikes + flag.strikes
        reds = report_reds + flag.reds
        # The flag as the record stood at ``at``: one set later belongs to the next week.
        flagged = case((col(Client.flagged_at) <= at, col(Client.flagged_at)))
        statement = (
            sa_select(
                col(Client.id),
                col(Client.name),
                strikes,
                reds,
                func.coalesce(counted.c.strikes_before, 0) + flag_before.strikes,
                report_strikes,
                report_reds,
                counted.c.last_report,
                flagged,
                col(Client.strikes_reset_at),
                col(Client.last_decision),
                col(Client.last_decision_at),
            )
            .join(counted, counted.c.client_id == col(Client.id), isouter=True)
            .where(col(Client.tenant_id) == tenant_id, col(Client.id).in_(ranked))
            .order_by(reds.desc(), strikes.desc(), col(Client.name))
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [
            RiskRow(
                client_id=int(row[0]),
                name=str(row[1]),
                strikes=int(row[2]),
                reds=int(row[3]),
                strikes_before=int(row[4]),
                report_strikes=int(row[5]),
                report_reds=int(row[6]),
                last_report_recorded_at=row[7],
                flagged_at=row[8],
                strikes_reset_at=row[9],
                last_decision=row[10],
                last_decision_at=row[11],
            )
            for row in rows
        ]

    async def _ranked(
        self, tenant_id: str, *, at: datetime, window_start: datetime, limit: int
    ) -> list[int]:
        """The ids of the ``limit`` clients with the most active strikes at ``at``, reds first
        (``riskiest``'s order), counted per client before meeting the clients (as the board's
        page does): the aggregate groups by the id alone, and SQLite reads each client's
        window from its strikes index."""
        reports = count_active(REPORT.recorded_by(at), window_start=window_start)
        counted = (
            sa_select(
                col(Client.id).label("client_id"),
                reports.strikes.label("strikes"),
                reports.reds.label("reds"),
            )
            .join(Incident, of_its_client())
            .where(
                col(Client.tenant_id) == tenant_id,
                is_strike(REPORT.severity),
                col(Incident.occurred_at) > window_start,
                col(Incident.recorded_at) <= at,
            )
            .group_by(col(Client.id))
            .subquery("counted")
        )
        flag = one_if_active(FLAG.recorded_by(at), window_start=window_start)
        strikes = func.coalesce(counted.c.strikes, 0) + flag.strikes
        reds = func.coalesce(counted.c.reds, 0) + flag.reds
        statement = (
            sa_select(col(Client.id))
            .join(counted, counted.c.client_id == col(Client.id), isouter=True)
            .where(col(Client.tenant_id) == tenant_id, strikes > 0)
            .order_by(reds.desc(), strikes.desc(), col(Client.name))
            .limit(limit)
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [int(row[0]) for row in rows]

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
                # The strikes the card and the summary count at ``until``, no more, no fewer.
                is_active(REPORT.recorded_by(until), window_start=window_start),
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
