"""The weekly risk summary: what happened this week against last, and what waits on managers.

Every number is one SQL aggregate (storage/repositories/summary.py). A riskiest client's state
is derived from its active strikes at the summary's end and its last decision with the pure
functions the card and the board use (``with_assessment_flag``, ``derive_state``): strikes
expire by time passing, so the stored ``client.state`` may be stale. A quiet week says so in
words, so that a missing summary is never mistaken for a quiet one, and the other way round.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from skills.core.scope import Scope
from skills.costs.summary import CostingMore, costing_more, costing_more_blocks, costing_more_data
from skills.listening.contact import ContactLevel, contact_levels
from skills.listening.hearing import iso_week
from skills.replies import Block, Fact, Facts, Heading, Paragraph, Reply, ReplyKind
from skills.reports.categories import STAFF_SAFETY, category
from skills.strikes.fairness import is_one_sided, one_reporter_note
from skills.strikes.labels import state_label
from skills.strikes.policy import (
    ClientState,
    Decision,
    LastDecision,
    Policy,
    StrikeSummary,
    derive_state,
    with_assessment_flag,
)
from skills.summary.chart import Chart, weekly_chart
from storage.repositories.summary import Crossing, RiskRow, TopReporter

RISKIEST = 10
BUSIEST = 3
# Decisions waiting are listed up to this many (the count says how many there are in all).
WAITING_SHOWN = 10
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeeklyNumbers:
    """What the summary says, before it is put into words."""

    start: datetime
    end: datetime
    this_week: dict[str, int]
    last_week: dict[str, int]
    crossings: list[Crossing]
    riskiest: list[RiskRow]
    states: dict[int, ClientState]
    top_reporters: dict[int, TopReporter]
    waiting: list[Crossing]
    recurring: list[tuple[str, int]]
    contact: dict[int, ContactLevel]
    names: dict[int, str]
    # The last full month's clients costing more than they pay (skills/costs/summary.py).
    costing_more: CostingMore

    @property
    def new_reports(self) -> int:
        """Reports recorded this week."""
        return sum(self.this_week.values())

    @property
    def previous_reports(self) -> int:
        """Reports recorded the week before."""
        return sum(self.last_week.values())

    @property
    def staff_safety(self) -> int:
        """Reports of abuse of staff or threats this week."""
        return sum(count for key, count in self.this_week.items() if key in STAFF_SAFETY)

    @property
    def quiet(self) -> bool:
        """Nothing new and nothing waiting."""
        return not self.new_reports and not self.crossings and not self.waiting


@dataclass(frozen=True)
class WeeklySummary:
    """The summary as a reply, with its chart."""

    reply: Reply
    chart: Chart


async def weekly_numbers(scope: Scope, start: datetime, end: datetime) -> WeeklyNumbers:
    """The numbers of the week [start, end), from the tenant's records as they are now."""
    tenant_id = scope.tenant.id
    window = scope.policy.window
    summary = scope.uow.summary
    riskiest = await summary.riskiest(
        tenant_id, at=end, before=start, window=window, limit=RISKIEST
    )
    # Counters are per ISO week: the one holding most of the summary's week.
    middle = start + (end - start) / 2
    contact = await contact_levels(scope, week=iso_week(middle, scope.tenant.timezone))
    busiest = sorted(contact, key=lambda client_id: -contact[client_id].messages)[:BUSIEST]
    names = {client_id: await _name(scope, client_id) for client_id in busiest}
    return WeeklyNumbers(
        start=start,
        end=end,
        this_week=await summary.incidents_by_category(tenant_id, start, end),
        last_week=await summary.incidents_by_category(tenant_id, start - WEEK, start),
        crossings=await summary.crossings(tenant_id, start, end),
        riskiest=riskiest,
        states={row.client_id: risk_state(row, scope.policy, end) for row in riskiest},
        top_reporters=await summary.top_reporters(
            tenant_id,
            window_start=end - window,
            until=end,
            client_ids=[row.client_id for row in riskiest],
        ),
        waiting=await summary.waiting(tenant_id),
        recurring=await summary.recurring_categories(
            tenant_id, crossed_since=end - window, reported_since=end - 2 * window, until=end
        ),
        contact={client_id: contact[client_id] for client_id in busiest},
        names=names,
        costing_more=await costing_more(scope, end),
    )


def risk_state(row: RiskRow, policy: Policy, at: datetime) -> ClientState:
    """The state of a riskiest client at ``at`` (the summary's end), derived as the card derives
    it now: its reports' active strikes, its assessment's flag added, and its last decision."""
    reports = StrikeSummary(row.report_strikes, row.report_reds, row.last_report_recorded_at)
    strikes = with_assessment_flag(reports, row.flagged_at, policy, at, row.strikes_reset_at)
    decision = None
    if row.last_decision is not None and row.last_decision_at is not None:
        decision = LastDecision(Decision(row.last_decision), row.last_decision_at)
    return derive_state(strikes, policy, decision)


async def _name(scope: Scope, client_id: int) -> str:
    client = await scope.uow.clients.get(scope.tenant.id, client_id)
    return client.name if client else str(client_id)


async def weekly_summary(scope: Scope, start: datetime, end: datetime) -> WeeklySummary:
    """The summary of [start, end) in the tenant's language, with its chart."""
    numbers = await weekly_numbers(scope, start, end)
    reply = summary_reply(scope, numbers)
    title = scope.t._("Reports by category, this week and last")
    chart = weekly_chart(scope.t, numbers.this_week, numbers.last_week, title)
    return WeeklySummary(reply, chart)


def summary_reply(scope: Scope, numbers: WeeklyNumbers) -> Reply:
    """The summary put into words."""
    t = scope.t
    tz = scope.tenant.timezone
    blocks: list[Block] = [
        Heading(
            t._(
                "Risk summary, {start} to {end}",
                start=t.date(numbers.start, tz),
                end=t.date(numbers.end - timedelta(seconds=1), tz),
            )
        ),
        Facts(
            (
                Fact(
                    t._("New reports"),
                    t._(
                        "{count} (the week before: {previous})",
                        count=t.number(numbers.new_reports),
                        previous=t.number(numbers.previous_reports),
                    ),
                ),
                Fact(
                    t.p_("number of clients", "Crossed the threshold"),
                    t.number(len(numbers.crossings)),
                ),
                Fact(t._("Decisions waiting"), t.number(len(numbers.waiting))),
                Fact(t._("Staff safety reports"), t.number(numbers.staff_safety)),
            )
        ),
    ]
    if numbers.quiet:
        blocks.append(
            Paragraph(
                t._(
                    "A quiet week: no new reports, nobody crossed the threshold and no decision "
                    "is waiting. Yellowcard is running; this message is how you know."
                )
            )
        )
    if numbers.crossings:
        names = t.list_of(crossing.name for crossing in numbers.crossings)
        blocks.append(Paragraph(t._("Crossed this week: {names}", names=names)))
    if numbers.riskiest:
        blocks.append(Paragraph(t._("Riskiest clients:")))
        blocks.append(
            Paragraph("\n".join(_risk_line(scope, numbers, row) for row in numbers.riskiest))
        )
    if numbers.this_week:
        lines = [
            f"{category(key).label(t)}: {t.number(count)}"
            for key, count in sorted(
                numbers.this_week.items(), key=lambda item: (-item[1], item[0])
            )
        ]
        blocks.append(Paragraph(t._("Reports by category this week:") + "\n" + "\n".join(lines)))
    if numbers.waiting:
        lines = [
            t.n_(
                "{client}: waiting {count} day",
                "{client}: waiting {count} days",
                (numbers.end - crossing.opened_at).days,
                client=crossing.name,
            )
            for crossing in numbers.waiting[:WAITING_SHOWN]
        ]
        hidden = len(numbers.waiting) - WAITING_SHOWN
        if hidden > 0:
            lines.append(t.n_("…and {count} more", "…and {count} more", hidden))
        blocks.append(Paragraph(t._("Decisions waiting:") + "\n" + "\n".join(lines)))
    if numbers.contact:
        lines = [
            t.n_(
                "{client}: {count} message (median {median})",
                "{client}: {count} messages (median {median})",
                level.messages,
                client=numbers.names[client_id],
                median=t.number(round(level.median)),
            )
            + (" — " + t._("far more than other clients") if level.far_above else "")
            for client_id, level in numbers.contact.items()
        ]
        blocks.append(Paragraph(t._("Most contact in linked channels:") + "\n" + "\n".join(lines)))
    blocks += costing_more_blocks(t, numbers.costing_more)
    if numbers.recurring:
        recurring = t.list_of(
            t.n_(
                "{category} ({count} client)",
                "{category} ({count} clients)",
                count,
                category=category(key).label(t),
            )
            for key, count in numbers.recurring
        )
        blocks.append(
            Paragraph(
                t._(
                    "Seen again and again in clients who crossed the threshold: {categories}. "
                    "Worth knowing before the next contract is signed.",
                    categories=recurring,
                )
            )
        )
    return Reply(kind=ReplyKind.RESULT, blocks=tuple(blocks), data=summary_data(numbers))


def _risk_line(scope: Scope, numbers: WeeklyNumbers, row: RiskRow) -> str:
    t = scope.t
    change = row.strikes - row.strikes_before
    trend = f"↑ +{change}" if change > 0 else f"↓ {change}" if change < 0 else "→"
    # Two counts, each with its own plural: the line is put together from both.
    line = t._(
        "{client}: {strikes} ({reds}), {trend}, {state}",
        client=row.name,
        strikes=t.n_("{count} active strike", "{count} active strikes", row.strikes),
        reds=t.n_("{count} red card", "{count} red cards", row.reds),
        trend=trend,
        state=state_label(t, numbers.states[row.client_id]),
    )
    # The summary goes to channels the whole staff reads: reporters stay unnamed.
    note = one_reporter_note(t, numbers.top_reporters.get(row.client_id), named=False)
    return f"{line} — {note}" if note else line


def summary_data(numbers: WeeklyNumbers) -> dict[str, object]:
    """The summary's numbers, machine-readable."""
    return {
        "start": numbers.start.isoformat(),
        "end": numbers.end.isoformat(),
        "new_reports": numbers.new_reports,
        "previous_reports": numbers.previous_reports,
        "by_category": dict(numbers.this_week),
        "crossed": [crossing.client_id for crossing in numbers.crossings],
        "riskiest": [
            {
                "client_id": row.client_id,
                "strikes": row.strikes,
                "reds": row.reds,
                "trend": row.strikes - row.strikes_before,
                "state": numbers.states[row.client_id].value,
            }
            for row in numbers.riskiest
        ],
        "waiting": [
            {"escalation_id": item.escalation_id, "client_id": item.client_id}
            for item in numbers.waiting
        ],
        "staff_safety": numbers.staff_safety,
        "recurring": [{"category": key, "clients": count} for key, count in numbers.recurring],
        "one_reporter": sorted(
            client_id for client_id, top in numbers.top_reporters.items() if is_one_sided(top)
        ),
        "quiet": numbers.quiet,
        "contact": [
            {"client_id": client_id, "messages": level.messages, "far_above": level.far_above}
            for client_id, level in numbers.contact.items()
        ],
        "costing_more": costing_more_data(numbers.costing_more),
    }
