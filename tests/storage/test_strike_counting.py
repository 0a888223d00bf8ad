"""The strikes counted by SQL (board, card, escalations) agree with the pure policy.

The same cases run through ``ClientRepository.with_strikes`` on each database and through
``skills.strikes.policy.summarize``; any difference between the two is a bug in one of them.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from skills.core.context import Services
from skills.core.tenancy import ensure_tenant
from skills.strikes.policy import Policy, Severity, Strike, StrikeSummary, summarize
from storage.models import Incident
from tests.support.factories import client_row

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = Policy()
# (severity, days since it happened, days since it was recorded, voided)
Case = list[tuple[Severity, float, float, bool]]

CASES: dict[str, tuple[Case, float | None]] = {
    "nothing": ([], None),
    "one yellow": ([(Severity.YELLOW, 1, 1, False)], None),
    "notes only": ([(Severity.NOTE, 1, 1, False), (Severity.NOTE, 2, 2, False)], None),
    "a red and a voided red": ([(Severity.RED, 3, 3, False), (Severity.RED, 2, 2, True)], None),
    "edge of the window": (
        [(Severity.YELLOW, 180, 1, False), (Severity.YELLOW, 179.99, 1, False)],
        None,
    ),
    "reported late": ([(Severity.YELLOW, 200, 0.5, False), (Severity.YELLOW, 10, 9, False)], None),
    "cleared in between": (
        [
            (Severity.YELLOW, 20, 20, False),
            (Severity.RED, 15, 15, False),
            (Severity.YELLOW, 2, 2, False),
        ],
        10,
    ),
    "recorded at the clear": ([(Severity.YELLOW, 10, 10, False)], 10),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_sql_and_policy_count_alike(services: Services, name: str) -> None:
    rows, cleared_days_ago = CASES[name]
    tenant_id = f"count:{uuid.uuid4().hex[:10]}"
    await ensure_tenant(services, tenant_id=tenant_id, platform="local")
    reset_at = NOW - timedelta(days=cleared_days_ago) if cleared_days_ago is not None else None
    strikes = [
        Strike(severity, NOW - timedelta(days=happened), NOW - timedelta(days=recorded), voided)
        for severity, happened, recorded, voided in rows
    ]
    async with services.unit_of_work() as uow:
        client = await uow.clients.add(client_row(tenant_id, strikes_reset_at=reset_at))
        for strike in strikes:
            await uow.incidents.add(
                Incident(
                    tenant_id=tenant_id,
                    client_id=client.id or 0,
                    category="scope_creep",
                    severity=strike.severity.value,
                    details="x",
                    occurred_at=strike.occurred_at,
                    recorded_at=strike.recorded_at,
                    reporter_id="t",
                    reporter_name="T",
                    voided_at=NOW if strike.voided else None,
                )
            )
        await uow.commit()
    async with services.unit_of_work() as uow:
        [row] = await uow.clients.with_strikes(tenant_id, window_start=NOW - POLICY.window)
    counted = StrikeSummary(row.active_strikes, row.active_reds, row.last_strike_recorded_at)
    assert counted == summarize(strikes, POLICY, NOW, reset_at)
