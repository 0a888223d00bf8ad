"""When the weekly summary is due, and claiming it once (sending it now: send.py).

Each tenant picks a weekday and a time in its own timezone (default Monday 09:00). A run is
claimed by inserting the unique (tenant, "weekly_summary", ISO week) row, so however many
replicas tick, one summary per tenant per week is queued. A process that was down at the due
time catches up for a day; an older summary is skipped rather than posted days late.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from skills.core.context import Services, system_actor
from skills.core.scope import open_scope
from skills.outbox.messages import summary_message
from storage.models import ScheduledRun, Tenant

JOB = "weekly_summary"
CATCH_UP = timedelta(days=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SummaryPeriod:
    """One week's summary: its key, when it is due, and the week it covers ([start, end))."""

    key: str
    due: datetime
    start: datetime
    end: datetime


def summary_period(now: datetime, tenant: Tenant) -> SummaryPeriod:
    """The tenant's latest summary due at or before ``now`` (this week's, or last week's when
    this week's is still ahead), by its weekday, time and timezone.

    The week it covers runs from the previous due time to this one, both in local time, so a
    change of daylight saving time neither loses nor repeats an hour of reports.
    """
    local_now = now.astimezone(ZoneInfo(tenant.timezone))
    monday = local_now.date() - timedelta(days=local_now.weekday())
    due = _due(tenant, monday, now)
    if due > now:
        monday -= timedelta(days=7)
        due = _due(tenant, monday, now)
    year, week, _day = monday.isocalendar()
    return SummaryPeriod(
        f"{year}-W{week:02d}", due, _due(tenant, monday - timedelta(days=7), now), due
    )


def _due(tenant: Tenant, monday: date, now: datetime) -> datetime:
    """When the summary of the week starting ``monday`` (local) is due, in ``now``'s zone."""
    hours, minutes = (int(part) for part in tenant.summary_time.split(":"))
    local = datetime.combine(
        monday + timedelta(days=tenant.summary_weekday),
        time(hours, minutes),
        tzinfo=ZoneInfo(tenant.timezone),
    )
    return local.astimezone(now.tzinfo)


async def claim_due_summaries(services: Services, claimant: str) -> list[str]:
    """Queue the summary of every tenant whose summary is due and unclaimed; the tenants.

    Tenants are claimed one by one: one tenant's failure is logged and tried again next tick.
    """
    now = services.clock()
    async with services.unit_of_work() as uow:
        tenants = await uow.tenants.with_summary_channels()
        await uow.commit()  # a rollback would expire the tenants handed back
    claimed = []
    for tenant in tenants:
        period = summary_period(now, tenant)
        if now >= period.due + CATCH_UP:
            continue
        try:
            if await _claim(services, tenant.id, period, claimant):
                claimed.append(tenant.id)
        except Exception:  # one tenant's trouble must not stop the others' summaries
            log.exception("the summary of %s failed; trying again next tick", tenant.id)
    return claimed


async def _claim(services: Services, tenant_id: str, period: SummaryPeriod, claimant: str) -> bool:
    async with open_scope(services, system_actor(tenant_id)) as scope:
        run = ScheduledRun(
            tenant_id=tenant_id,
            job=JOB,
            period=period.key,
            claimed_at=scope.now,
            claimed_by=claimant,
            finished_at=scope.now,
        )
        if not await scope.uow.scheduled_runs.claim(run):
            return False
        for channel in scope.tenant.summary_channels:
            await scope.uow.outbox.add(
                summary_message(
                    scope.tenant,
                    channel,
                    key=period.key,
                    start=period.start,
                    end=period.end,
                    now=scope.now,
                )
            )
        await scope.audit("summary.scheduled", subject=("summary", period.key), by=claimant)
        await scope.uow.commit()
        return True
