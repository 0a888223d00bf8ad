"""The risk board's SQL orders and derives what the pure policy does, on generated data.

``storage.repositories.board`` derives each client's state in SQL (a CASE) and orders the board
in the database; ``skills.strikes.policy.derive_state`` and ``risk_order`` are the rule. The
workspaces of the active-strike-rule test (every severity, voids, the window's edges, clears,
decisions that new strikes overrule or not, assessment flags, three policies) are stored, and
the board is read page after page in pages of several sizes: the pages together hold every
client once, in the pure order (name, then id, break the ties), each with the pure state and
counts. On SQLite and on PostgreSQL.
"""

import pytest

from skills.core.context import Services
from skills.strikes.policy import derive_state, risk_order
from storage.repositories.board import BoardRow
from tests.storage.test_active_strike_rule import NOW, SEEDS, _at, _store, generate
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
