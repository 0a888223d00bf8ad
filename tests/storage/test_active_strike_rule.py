"""The strike rule's SQL copy counts what the pure rule counts, on generated data.

``skills.strikes.policy`` is the rule; ``storage.repositories.active_strikes`` is its SQL copy,
which the card (``ClientRepository.with_strikes``), the board (``storage.repositories.board``), the
one-reporter note and the weekly summary count with. A seeded generator builds several tenants, each
with its own window and threshold, whose clients have reports of every severity (unpaid invoices red
or yellow by their days overdue), voided reports, reports at and a microsecond either side of the
window's edge (now, and at the start of the summary's week), strikes cleared by a decision,
decisions that new strikes overrule, and assessment flags. Each client's card, its line on the board
and in the weekly summary (counts, trend and state) are then compared with what the pure rule says,
on each database.
"""

import ast
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skills.clients.lookup import CLIENT_ID_PREFIX
from skills.commands import SendSummary, ShowBoard, ShowClient, ShowHome
from skills.core.context import Actor, Services
from skills.core.tenancy import ensure_tenant
from skills.dispatch import handle
from skills.strikes.fairness import is_one_sided
from skills.strikes.labels import state_label
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
    summarize,
    with_assessment_flag,
)
from skills.summary.weekly import RISKIEST, WEEK
from skills.text.command_parser import parse_command
from skills.text.i18n import translator
from storage.models import Incident
from storage.repositories.summary import TopReporter
from tests.support.clock import FakeClock
from tests.support.factories import client_row
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
WEEK_START = NOW - WEEK
TICK = timedelta(microseconds=1)
# Ana files more than the others, so that one reporter is sometimes behind most strikes.
REPORTERS = ("ana", "ana", "tom", "lee")
CATEGORY = {
    Severity.NOTE: "expectation_mismatch",
    Severity.YELLOW: "scope_creep",
    Severity.RED: "abuse",
}
DECISIONS = [decision for decision in Decision if decision is not Decision.CLEARED]


@dataclass(frozen=True)
class Report:
    """A report as stored."""

    category: str
    severity: Severity
    days_overdue: int | None
    occurred_at: datetime
    recorded_at: datetime
    voided_at: datetime | None
    reporter_id: str


@dataclass(frozen=True)
class ClientCase:
    """A client and its record; ``reset_at`` is when its strikes were last cleared."""

    name: str
    reports: list[Report]
    reset_at: datetime | None
    decision: LastDecision | None
    flagged_at: datetime | None


@dataclass(frozen=True)
class TenantCase:
    """A workspace's policy and clients."""

    policy: Policy
    clients: list[ClientCase]


# --- Generating the data ------------------------------------------------------------------------


def _edges(policy: Policy) -> list[datetime]:
    """The moments the rule is sensitive to: each window's edge, now and at the start of the
    summary's week, a microsecond either side of it, that start itself, and now."""
    moments = []
    for moment in (NOW, WEEK_START):
        edge = moment - policy.window
        moments += [edge - TICK, edge, edge + TICK]
    return [*moments, WEEK_START - TICK, WEEK_START, WEEK_START + TICK, NOW]


def _moment(rng: random.Random, policy: Policy, after: datetime | None = None) -> datetime:
    """An edge half of the time, otherwise any moment, between ``after`` (by default a month
    before the oldest window) and now."""
    earliest = after or WEEK_START - policy.window - timedelta(days=30)
    edges = [moment for moment in _edges(policy) if earliest <= moment <= NOW]
    if edges and rng.random() < 0.5:
        return rng.choice(edges)
    return earliest + timedelta(seconds=rng.uniform(0, (NOW - earliest).total_seconds()))


def _report(rng: random.Random, policy: Policy) -> Report:
    days_overdue = None
    if rng.random() < 0.2:
        # An unpaid invoice: red from the workspace's number of days overdue, yellow before.
        category = "non_payment"
        edge = policy.non_payment_red_after_days
        days_overdue = rng.choice([edge - 1, edge, edge + 1])
        severity = default_severity(
            Severity.YELLOW, red_when_overdue=True, days_overdue=days_overdue, policy=policy
        )
    else:
        severity = rng.choice(list(Severity))
        category = CATEGORY[severity]
    occurred_at = _moment(rng, policy)
    shape = rng.random()
    if shape < 0.4:
        recorded_at = occurred_at
    elif shape < 0.7:
        recorded_at = min(NOW, occurred_at + timedelta(hours=rng.uniform(0, 72)))
    else:
        recorded_at = _moment(rng, policy, after=occurred_at)  # reported late
    if rng.random() < 0.05:
        # The date given may be up to five minutes ahead of the clock (drift).
        occurred_at = recorded_at + timedelta(minutes=rng.uniform(0, 5))
    voided_at = _moment(rng, policy, after=recorded_at) if rng.random() < 0.25 else None
    return Report(
        category,
        severity,
        days_overdue,
        occurred_at,
        recorded_at,
        voided_at,
        rng.choice(REPORTERS),
    )


def _client(rng: random.Random, policy: Policy, name: str) -> ClientCase:
    reports = [_report(rng, policy) for _ in range(rng.randint(0, 6))]

    def decided_at() -> datetime:
        # Often exactly when a report was recorded: such a report counts as before the decision.
        if reports and rng.random() < 0.4:
            return rng.choice(reports).recorded_at
        return _moment(rng, policy, after=WEEK_START - policy.window)

    reset_at, decision, shape = None, None, rng.random()
    if shape < 0.3:
        reset_at = decided_at()
        decision = LastDecision(Decision.CLEARED, reset_at)
    elif shape < 0.6:
        decision = LastDecision(rng.choice(DECISIONS), decided_at())
        if rng.random() < 0.3:
            # Cleared earlier, decided since.
            reset_at = decision.decided_at - timedelta(days=rng.uniform(0, 30))
    flagged_at = None
    if rng.random() < 0.3:
        flagged_at = rng.choice([_moment(rng, policy), reset_at or decided_at(), decided_at()])
    return ClientCase(name, reports, reset_at, decision, flagged_at)


def generate(seed: int) -> list[TenantCase]:
    """Three workspaces of fourteen clients, each workspace with its own policy."""
    rng = random.Random(seed)
    tenants = []
    for policy in (Policy(), Policy(threshold=3, window_days=30), Policy(window_days=7)):
        clients = [_client(rng, policy, f"Client {number:02d}") for number in range(1, 15)]
        tenants.append(TenantCase(policy, clients))
    return tenants


def covered(tenants: list[TenantCase]) -> set[str]:
    """The situations the data holds, so that a seed that misses one is noticed."""
    seen = set()
    for tenant in tenants:
        window = tenant.policy.window
        for case in tenant.clients:
            for report in case.reports:
                seen.add(f"severity {report.severity}")
                if report.days_overdue is not None:
                    seen.add(f"unpaid, {report.severity}")
                if report.voided_at is not None:
                    seen.add("voided" if report.voided_at <= WEEK_START else "voided this week")
                for name, moment in (("now", NOW), ("a week ago", WEEK_START)):
                    offset = report.occurred_at - (moment - window)
                    if offset in (-TICK, timedelta(0), TICK):
                        seen.add(f"window edge {name} {offset // TICK:+d}")
                if case.reset_at is not None and report.recorded_at == case.reset_at:
                    seen.add("recorded at the clear")
                if case.reset_at is not None and report.recorded_at > case.reset_at:
                    seen.add("recorded after the clear")
                decision = case.decision
                if decision is not None and report.recorded_at > decision.decided_at:
                    seen.add("recorded after a decision")
                if report.recorded_at == NOW:
                    seen.add("recorded this instant")
            if case.flagged_at is not None:
                active = is_active(
                    Strike(Severity.RED, case.flagged_at, case.flagged_at),
                    tenant.policy,
                    NOW,
                    case.reset_at,
                )
                seen.add("flag active" if active else "flag expired or cleared")
    return seen


SITUATIONS = {
    *(f"severity {severity}" for severity in Severity),
    "unpaid, yellow",
    "unpaid, red",
    "voided",
    "voided this week",
    *(f"window edge {name} {tick:+d}" for name in ("now", "a week ago") for tick in (-1, 0, 1)),
    "recorded at the clear",
    "recorded after the clear",
    "recorded after a decision",
    "recorded this instant",
    "flag active",
    "flag expired or cleared",
}
SEEDS = [20260601, 7]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_generated_data_holds_every_situation(seed: int) -> None:
    assert covered(generate(seed)) >= SITUATIONS


# --- What the pure rule says --------------------------------------------------------------------


def _strikes(case: ClientCase, moment: datetime) -> list[Strike]:
    """The client's reports as the record stood at ``moment``."""
    return [
        Strike(
            report.severity,
            report.occurred_at,
            report.recorded_at,
            voided=report.voided_at is not None and report.voided_at <= moment,
        )
        for report in case.reports
        if report.recorded_at <= moment
    ]


def _at(case: ClientCase, policy: Policy, moment: datetime) -> StrikeSummary:
    """The client's active strikes at ``moment``, its flag among them, on the record as it
    stood then."""
    reset_at = case.reset_at if case.reset_at is not None and case.reset_at <= moment else None
    flagged_at = case.flagged_at if case.flagged_at and case.flagged_at <= moment else None
    reports = summarize(_strikes(case, moment), policy, moment, reset_at)
    return with_assessment_flag(reports, flagged_at, policy, moment, reset_at)


def _active_reports(case: ClientCase, policy: Policy) -> list[int]:
    """The positions of the client's reports that are active strikes now."""
    strikes = _strikes(case, NOW)
    return [
        index
        for index, strike in enumerate(strikes)
        if is_active(strike, policy, NOW, case.reset_at)
    ]


def _one_sided(case: ClientCase, policy: Policy) -> bool:
    """Whether one person filed most of the client's active strikes from reports."""
    filed: dict[str, int] = {}
    for index in _active_reports(case, policy):
        reporter = case.reports[index].reporter_id
        filed[reporter] = filed.get(reporter, 0) + 1
    if not filed:
        return False
    top = max(filed.values())
    return is_one_sided(TopReporter(0, "", "", top, sum(filed.values())))


# --- The comparison -----------------------------------------------------------------------------


async def _store(services: Services, tenant: TenantCase) -> tuple[str, list[int], list[list[int]]]:
    """The tenant in the database; its id, its clients' ids and their reports' ids."""
    tenant_id = f"rule:{uuid.uuid4().hex[:10]}"
    founder = Actor(tenant_id, "maria", "María")
    await ensure_tenant(services, tenant_id=tenant_id, platform="local", founder=founder)
    client_ids, report_ids = [], []
    async with services.unit_of_work() as uow:
        row = await uow.tenants.get(tenant_id)
        assert row is not None
        row.threshold, row.window_days = tenant.policy.threshold, tenant.policy.window_days
        await uow.tenants.save(row)
        for case in tenant.clients:
            client = await uow.clients.add(
                client_row(
                    tenant_id,
                    name=case.name,
                    lookup_key=case.name.lower(),
                    strikes_reset_at=case.reset_at,
                    last_decision=case.decision.decision.value if case.decision else None,
                    last_decision_at=case.decision.decided_at if case.decision else None,
                    flagged_at=case.flagged_at,
                )
            )
            client_ids.append(client.id or 0)
            ids = []
            for report in case.reports:
                stored = await uow.incidents.add(
                    Incident(
                        tenant_id=tenant_id,
                        client_id=client.id or 0,
                        category=report.category,
                        severity=report.severity.value,
                        details="generated",
                        days_overdue=report.days_overdue,
                        occurred_at=report.occurred_at,
                        recorded_at=report.recorded_at,
                        reporter_id=report.reporter_id,
                        reporter_name=report.reporter_id.title(),
                        voided_at=report.voided_at,
                        voided_by="maria" if report.voided_at else None,
                        void_reason="generated" if report.voided_at else None,
                    )
                )
                assert stored is not None
                ids.append(stored.id or 0)
            report_ids.append(ids)
        await uow.commit()
    return tenant_id, client_ids, report_ids


@pytest.mark.parametrize("seed", SEEDS)
async def test_the_sql_counts_what_the_pure_rule_counts(
    services: Services, clock: FakeClock, seed: int
) -> None:
    clock.now = NOW
    for tenant in generate(seed):
        tenant_id, client_ids, report_ids = await _store(services, tenant)
        policy, cases = tenant.policy, tenant.clients
        manager = Actor(tenant_id, "maria", "María")
        now = {cid: _at(case, policy, NOW) for cid, case in zip(client_ids, cases, strict=True)}
        states = {
            cid: derive_state(now[cid], policy, case.decision)
            for cid, case in zip(client_ids, cases, strict=True)
        }

        # The count behind the card and the board, exactly, before the flag is added.
        async with services.unit_of_work() as uow:
            rows = await uow.clients.with_strikes(tenant_id, window_start=NOW - policy.window)
            # Read inside the unit of work: leaving it rolls back, which expires the rows.
            counted = {
                row.client.id: StrikeSummary(
                    row.active_strikes, row.active_reds, row.last_strike_recorded_at
                )
                for row in rows
            }
        assert counted == {
            cid: summarize(_strikes(case, NOW), policy, NOW, case.reset_at)
            for cid, case in zip(client_ids, cases, strict=True)
        }

        # The card: its state, count, active reports and one-reporter note.
        cards = {}
        for cid in client_ids:
            card = await handle(services, manager, ShowClient(f"{CLIENT_ID_PREFIX}{cid}"))
            data = card.data
            cards[cid] = (
                data["client"]["state"],
                data["client"]["active_strikes"],
                sorted(data["active_strike_ids"]),
                data["one_reporter"],
            )
        assert cards == {
            cid: (
                states[cid].value,
                now[cid].count,
                sorted(ids[index] for index in _active_reports(case, policy)),
                _one_sided(case, policy),
            )
            for cid, case, ids in zip(client_ids, cases, report_ids, strict=True)
        }

        # The board (``/client list``), and App Home, which shows it.
        board = await handle(services, manager, ShowBoard())
        assert board.data["pages"] == 1
        expected_board = {
            cid: (states[cid].value, now[cid].count, now[cid].reds) for cid in client_ids
        }
        assert {
            line["id"]: (line["state"], line["active_strikes"], line["reds"])
            for line in board.data["clients"]
        } == expected_board
        home = await handle(services, manager, ShowHome())
        assert home.data["board"] == board.data["clients"]

        # The weekly summary's riskiest clients: strikes and reds now, the trend since the
        # week's start, in the summary's order (reds, then strikes, then name), and the state
        # the card shows.
        before = {
            cid: _at(case, policy, WEEK_START) for cid, case in zip(client_ids, cases, strict=True)
        }
        names = {cid: case.name for cid, case in zip(client_ids, cases, strict=True)}
        expected = sorted(
            (
                (cid, now[cid].count, now[cid].reds, now[cid].count - before[cid].count)
                for cid in client_ids
                if now[cid].count
            ),
            key=lambda row: (-row[2], -row[1], names[row[0]]),
        )
        async with services.unit_of_work() as uow:
            risky = await uow.summary.riskiest(
                tenant_id, at=NOW, before=WEEK_START, window=policy.window, limit=len(cases)
            )
        assert [
            (row.client_id, row.strikes, row.reds, row.strikes - row.strikes_before)
            for row in risky
        ] == expected
        # What the state is derived from: the reports' strikes before the flag is added, as
        # for the card, and the client's last decision.
        assert {
            row.client_id: (
                StrikeSummary(row.report_strikes, row.report_reds, row.last_report_recorded_at),
                row.flagged_at,
                row.strikes_reset_at,
                row.last_decision,
                row.last_decision_at,
            )
            for row in risky
        } == {
            cid: (
                counted[cid],
                case.flagged_at,
                case.reset_at,
                case.decision.decision.value if case.decision else None,
                case.decision.decided_at if case.decision else None,
            )
            for cid, case in zip(client_ids, cases, strict=True)
            if now[cid].count
        }
        summary = await handle(services, manager, SendSummary())
        assert [
            (row["client_id"], row["strikes"], row["reds"], row["trend"], row["state"])
            for row in summary.data["riskiest"]
        ] == [(*row, states[row[0]].value) for row in expected[:RISKIEST]]
        # The words say it too: each line ends with the state's label (before any note), after
        # the count and the trend.
        t = translator("en")
        lines = {
            line.split(": ", 1)[0]: line.split(" — ", 1)[0]
            for line in paragraph_text(summary).splitlines()
            if line.startswith("Client ")
        }
        assert {name: line.split(", ", 2)[2] for name, line in lines.items()} == {
            names[row[0]]: state_label(t, states[row[0]]) for row in expected[:RISKIEST]
        }
        one_sided = {
            cid for cid, case in zip(client_ids, cases, strict=True) if _one_sided(case, policy)
        }
        shown = {row[0] for row in expected[:RISKIEST]}
        assert summary.data["one_reporter"] == sorted(one_sided & shown)


async def test_the_one_reporter_note_counts_a_strike_filed_this_instant(
    workspace: Workspace,
) -> None:
    """The note's count is the card's: a report recorded at the very moment the card is read
    is an active strike for both (the note once left it out, and said nothing)."""
    ws = workspace
    await new_client(ws)
    await ws.say('/report-client "Acme Corp" scope_creep extra dashboards')
    ws.clock.advance(minutes=1)
    # The second report and the card in the same instant: ``handle`` does not move the clock.
    report = '/report-client "Acme Corp" moving_goalposts changed the brief again'
    await handle(ws.services, ws.person("ana"), parse_command(report))
    card = await handle(ws.services, ws.person("maria"), ShowClient("Acme Corp"))
    assert card.data["client"]["state"] == ClientState.THRESHOLD.value
    assert card.data["client"]["active_strikes"] == 2
    assert card.data["one_reporter"] is True


def test_storage_spells_no_severity_and_imports_no_skill() -> None:
    """Queries name severities through ``storage.strike_rule``, the one place that spells them,
    and storage stands below the skills (it may not import them)."""
    storage = Path(__file__).resolve().parents[2] / "storage"
    spelled, imported = [], []
    for path in sorted(storage.rglob("*.py")):
        if "migrations" in path.parts or path.name == "strike_rule.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in set(Severity):
                spelled.append(f"{path.name}:{node.lineno}")
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            imported += [f"{path.name}: {name}" for name in modules if name.startswith("skills")]
    assert (spelled, imported) == ([], [])
