"""The risk board's SQL orders and derives what the pure policy does, on generated data.

``storage.repositories.board`` derives each client's state in SQL (a CASE) and orders the board
in the database; ``skills.strikes.policy.derive_state`` and ``risk_order`` are the rule. The
workspaces of the active-strike-rule test (every severity, voids, the window's edges, clears,
decisions that new strikes overrule or not, assessment flags, three policies) are stored, and
the board is read page after page in pages of several sizes: the pages together hold every
client once, in the pure order (name, then id, break the ties), each with the pure state and
counts. On SQLite and on PostgreSQL.
"""

from datetime import datetime, timedelta

import pytest

from skills.core.context import Services
from skills.strikes.policy import Decision, LastDecision, Policy, Severity, derive_state, risk_order
from storage.repositories.board import BoardRow
from tests.storage.test_active_strike_rule import (
    CATEGORY,
    NOW,
    SEEDS,
    ClientCase,
    Report,
    TenantCase,
    _at,
    _store,
    generate,
)
from tests.support.clock import FakeClock

PAGE_SIZES = (1, 5, 14)


def _line(row: BoardRow) -> tuple[int, str, int, int, object]:
    return (
        row.client.id or 0,
        row.state.value,
        row.strikes,
        row.reds,
        row.last_strike_recorded_at,
    )


@pytest.mark.parametrize("seed", SEEDS)
async def test_the_board_orders_and_derives_as_the_pure_policy(
    services: Services, clock: FakeClock, seed: int
) -> None:
    clock.now = NOW
    for tenant in generate(seed):
        tenant_id, client_ids, _reports = await _store(services, tenant)
        policy = tenant.policy
        expected = []
        for cid, case in zip(client_ids, tenant.clients, strict=True):
            summary = _at(case, policy, NOW)
            state = derive_state(summary, policy, case.decision)
            key = (risk_order(state, summary), case.name, cid)
            line = (cid, state.value, summary.count, summary.reds, summary.last_recorded_at)
            expected.append((key, line))
        expected_lines = [line for _key, line in sorted(expected)]

        for size in PAGE_SIZES:
            lines = []
            async with services.unit_of_work() as uow:
                assert await uow.clients.count(tenant_id) == len(client_ids)
                for offset in range(0, len(client_ids) + size, size):
                    page = await uow.clients.board_page(
                        tenant_id,
                        window_start=policy.window_start(NOW),
                        threshold=policy.threshold,
                        offset=offset,
                        limit=size,
                    )
                    lines += [_line(row) for row in page]
            assert lines == expected_lines, f"pages of {size}"


def _report(
    severity: Severity,
    days_ago: float,
    *,
    recorded_days_ago: float | None = None,
    voided: bool = False,
) -> Report:
    occurred_at = NOW - timedelta(days=days_ago)
    recorded_at = NOW - timedelta(days=days_ago if recorded_days_ago is None else recorded_days_ago)
    voided_at = recorded_at + timedelta(minutes=5) if voided else None
    return Report(CATEGORY[severity], severity, None, occurred_at, recorded_at, voided_at, "ana")


def _client(
    name: str,
    *reports: Report,
    reset_days_ago: float | None = None,
    decision: tuple[Decision, float] | None = None,
    flagged_days_ago: float | None = None,
) -> ClientCase:
    def ago(days: float | None) -> datetime | None:
        return None if days is None else NOW - timedelta(days=days)

    decided = (
        None if decision is None else LastDecision(decision[0], NOW - timedelta(days=decision[1]))
    )
    return ClientCase(name, list(reports), ago(reset_days_ago), decided, ago(flagged_days_ago))


async def _board(services: Services, clients: list[ClientCase]) -> list[tuple[str, str, int, int]]:
    """The whole board of a new tenant with these clients under the default policy: each
    client's name, state, strikes and reds, in the board's order."""
    policy = Policy()
    tenant_id, _clients, _reports = await _store(services, TenantCase(policy, clients))
    async with services.unit_of_work() as uow:
        rows = await uow.clients.board_page(
            tenant_id,
            window_start=policy.window_start(NOW),
            threshold=policy.threshold,
            offset=0,
            limit=len(clients) + 1,
        )
        return [(row.client.name, row.state.value, row.strikes, row.reds) for row in rows]


async def test_the_board_ranks_state_then_reds_strikes_recency_then_name(
    services: Services, clock: FakeClock
) -> None:
    clock.now = NOW
    yellow, red = Severity.YELLOW, Severity.RED
    board = await _board(
        services,
        [
            _client("Quiet"),
            _client("Also quiet"),
            _client("One yellow", _report(yellow, 3)),
            _client("Two yellows", _report(yellow, 3), _report(yellow, 4)),
            _client("Two yellows, older", _report(yellow, 30), _report(yellow, 40)),
            _client("Three yellows", _report(yellow, 3), _report(yellow, 4), _report(yellow, 5)),
            _client("One red", _report(red, 50)),
            _client("Offboarding", _report(red, 9), decision=(Decision.OFFBOARDING, 8)),
            # Tied on everything but the name.
            _client("Twin b", _report(yellow, 2)),
            _client("Twin a", _report(yellow, 2)),
        ],
    )
    assert [(name, state) for name, state, _strikes, _reds in board] == [
        ("One red", "threshold"),
        ("Three yellows", "threshold"),
        ("Two yellows", "threshold"),
        ("Two yellows, older", "threshold"),
        ("Offboarding", "offboarding"),
        ("Twin a", "watch"),
        ("Twin b", "watch"),
        ("One yellow", "watch"),
        ("Also quiet", "ok"),
        ("Quiet", "ok"),
    ]


async def test_a_decision_stands_until_a_strike_is_recorded_after_it(
    services: Services, clock: FakeClock
) -> None:
    clock.now = NOW
    yellow = Severity.YELLOW
    board = await _board(
        services,
        [
            _client(
                "Kept", _report(yellow, 5), _report(yellow, 4), decision=(Decision.KEEP_ON_TERMS, 3)
            ),
            # Recorded at the very moment of the decision: it counts as before it.
            _client(
                "Kept at the moment",
                _report(yellow, 5),
                _report(yellow, 3),
                decision=(Decision.CONVERSATION, 3),
            ),
            # Happened before the decision, recorded after it: the strikes speak again.
            _client(
                "Reported late",
                _report(yellow, 5),
                _report(yellow, 4, recorded_days_ago=1),
                decision=(Decision.KEEP_ON_TERMS, 3),
            ),
        ],
    )
    assert board == [
        ("Reported late", "threshold", 2, 0),
        ("Kept", "keep_on_terms", 2, 0),
        ("Kept at the moment", "conversation", 2, 0),
    ]


async def test_the_flag_counts_as_a_red_strike(services: Services, clock: FakeClock) -> None:
    clock.now = NOW
    board = await _board(
        services,
        [
            _client("Flagged", flagged_days_ago=10),
            _client("Flagged long ago", flagged_days_ago=200),
            _client("Flagged, then cleared", flagged_days_ago=10, reset_days_ago=5),
        ],
    )
    assert board == [
        ("Flagged", "threshold", 1, 1),
        ("Flagged long ago", "ok", 0, 0),
        ("Flagged, then cleared", "ok", 0, 0),
    ]


async def test_voided_expired_cleared_strikes_and_notes_do_not_count(
    services: Services, clock: FakeClock
) -> None:
    clock.now = NOW
    red, yellow = Severity.RED, Severity.YELLOW
    board = await _board(
        services,
        [
            _client("Voided", _report(red, 3, voided=True), _report(yellow, 3, voided=True)),
            _client("Expired", _report(red, 180), _report(yellow, 181)),
            _client(
                "Cleared",
                _report(red, 10),
                _report(yellow, 9),
                reset_days_ago=8,
                decision=(Decision.CLEARED, 8),
            ),
            _client("Notes", _report(Severity.NOTE, 1), _report(Severity.NOTE, 2)),
            _client("Counted", _report(yellow, 179)),
        ],
    )
    assert board == [
        ("Counted", "watch", 1, 0),
        ("Cleared", "cleared", 0, 0),
        ("Expired", "ok", 0, 0),
        ("Notes", "ok", 0, 0),
        ("Voided", "ok", 0, 0),
    ]
