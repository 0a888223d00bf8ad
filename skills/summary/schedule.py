"""When the weekly summary is due, claiming it once, and ``/client summary [preview]``.

Each tenant picks a weekday and a time in its own timezone (default Monday 09:00). A run is
claimed by inserting the unique (tenant, "weekly_summary", ISO week) row, so however many
replicas tick, one summary per tenant per week is queued. A process that was down at the due
time catches up for a day; an older summary is skipped rather than posted days late.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from skills.commands import SendSummary
from skills.core.access import require_manager
from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.outbox.messages import summary_message
from skills.replies import Paragraph, Reply, ReplyKind
from skills.summary.weekly import WEEK, weekly_summary
from skills.text.i18n import SUPPORTED_LANGUAGES, Translator
from skills.text.names import normalize
from skills.text.numbers import whole_number
from storage.models import ScheduledRun, Tenant

JOB = "weekly_summary"
CATCH_UP = timedelta(days=1)
log = logging.getLogger(__name__)
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")


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


async def send_summary(scope: Scope, command: SendSummary) -> Reply:
    """The last seven days' summary now: privately (preview) or to the chosen channels."""
    refused = await require_manager(
        scope, "summary.send", ("summary", "preview" if command.preview else "now")
    )
    if refused:
        return refused
    if scope.tenant.platform == "local":
        # The shell has nowhere to post: the summary is the answer.
        return (await weekly_summary(scope, scope.now - WEEK, scope.now)).reply
    recipients = [scope.actor.user_id] if command.preview else list(scope.tenant.summary_channels)
    queued = await queue_summary_now(scope, recipients)
    if queued.kind is not ReplyKind.RESULT:
        return queued
    text = (
        scope.t._("The summary is on its way to you in a direct message.")
        if command.preview
        else scope.t._("The summary is on its way to {channels}.", channels=", ".join(recipients))
    )
    return Reply(ReplyKind.RESULT, (Paragraph(text),), queued.data)


async def queue_summary_now(scope: Scope, recipients: list[str]) -> Reply:
    """Queue the last seven days' summary to each recipient and commit; the reply's data has
    the outbox rows' ids, or it is an error when there is nobody to send to."""
    if not recipients:
        text = scope.t._("Choose channels first: /client settings summary-channels #channel")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "no_summary_channels"})
    key = f"now:{scope.now.isoformat()}"
    ids = []
    for recipient in recipients:
        message = summary_message(
            scope.tenant, recipient, key=key, start=scope.now - WEEK, end=scope.now, now=scope.now
        )
        if await scope.uow.outbox.add(message):
            ids.append(message.id or 0)
    await scope.audit("summary.queued", subject=("summary", key), recipients=recipients)
    await scope.uow.commit()
    return Reply(ReplyKind.RESULT, (), {"outbox_ids": ids, "recipients": recipients})


def parse_weekday(text: str, t: Translator) -> int | None:
    """0 (Monday) to 6: a number 1–7, or a day's name in any supported language."""
    number = whole_number(text, lowest=1, highest=7)
    if number is not None:
        return number - 1
    wanted = normalize(text)
    for language in (t.language, *SUPPORTED_LANGUAGES):
        locale = language.replace("-", "_")
        for width in ("wide", "abbreviated"):
            for weekday, name in get_day_names(width, locale=locale).items():
                if normalize(str(name)) == wanted:
                    return int(weekday)
    return None


def parse_time_of_day(text: str) -> str | None:
    """``HH:MM`` (24-hour) from ``9``, ``9:30`` or ``09:30``; None when it is not a time."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


async def summary_for_tenant(services: Services, tenant_id: str, *, post: bool) -> Reply:
    """The last seven days' summary of a tenant, for the command line: queued to its channels
    (``post``), or returned to print. Raises ``UnknownTenantError`` for an unknown tenant."""
    async with open_scope(services, system_actor(tenant_id)) as scope:
        if not post:
            return (await weekly_summary(scope, scope.now - WEEK, scope.now)).reply
        return await queue_summary_now(scope, list(scope.tenant.summary_channels))
