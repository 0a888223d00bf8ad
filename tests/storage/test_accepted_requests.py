"""The intake's table on SQLite and PostgreSQL: a replay is refused, an abandoned request is
taken over once, a stale claim settles nothing, handled keys are purged after the window."""

import uuid
from datetime import timedelta

from skills.core.context import Services
from tests.support.clock import FakeClock

LEASE = timedelta(seconds=60)


async def test_a_request_is_accepted_once_and_taken_over_when_abandoned(
    services: Services, clock: FakeClock
) -> None:
    key = f"slack:{uuid.uuid4().hex}"
    request = {
        "request_key": key,
        "kind": "command",
        "body": {"text": "hello"},
        "team_id": "T1",
        "enterprise_id": None,
        "org_wide": False,
        "lease": LEASE,
    }
    async with services.unit_of_work() as uow:
        first = await uow.accepted_requests.accept(clock=clock, **request)
        again = await uow.accepted_requests.accept(clock=clock, **request)
        await uow.commit()
    assert first is not None
    assert again is None  # the same key: a replay

    async with services.unit_of_work() as uow:
        early = await uow.accepted_requests.claim_abandoned(now=clock(), lease=LEASE, limit=100)
    assert key not in {row.request_key for _claim, row in early}  # its process still holds it

    clock.advance(seconds=61)
    async with services.unit_of_work() as uow:
        taken = await uow.accepted_requests.claim_abandoned(now=clock(), lease=LEASE, limit=100)
        await uow.commit()
    [(claim, row)] = [(claim, row) for claim, row in taken if row.request_key == key]
    assert row.attempts == 2
    assert row.body == {"text": "hello"}

    async with services.unit_of_work() as uow:
        assert not await uow.accepted_requests.settle(first, now=clock())  # no longer its own
        assert await uow.accepted_requests.settle(claim, now=clock())
        await uow.commit()

    clock.advance(hours=2)
    async with services.unit_of_work() as uow:
        assert await uow.accepted_requests.purge_handled(before=clock() - timedelta(hours=1)) >= 1
        replayed = await uow.accepted_requests.accept(clock=clock, **request)
        await uow.commit()
    assert replayed is not None  # past the window, the key protects nothing


async def test_a_request_released_at_shutdown_is_taken_over_at_once(
    services: Services, clock: FakeClock
) -> None:
    key = f"slack:{uuid.uuid4().hex}"
    async with services.unit_of_work() as uow:
        claim = await uow.accepted_requests.accept(
            request_key=key,
            kind="button",
            body={},
            team_id="T1",
            enterprise_id=None,
            org_wide=False,
            clock=clock,
            lease=LEASE,
        )
        assert claim is not None
        await uow.accepted_requests.release([claim], now=clock())
        await uow.commit()
    async with services.unit_of_work() as uow:
        taken = await uow.accepted_requests.claim_abandoned(now=clock(), lease=LEASE, limit=100)
        await uow.commit()
    assert key in {row.request_key for _claim, row in taken}
