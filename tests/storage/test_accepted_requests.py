"""The intake's table on SQLite and PostgreSQL: a replay is refused, an abandoned request is
taken over once, a stale claim settles nothing, handled keys are purged after the window."""

import uuid
from datetime import timedelta
from typing import Any

from skills.core.context import Services
from storage.repositories.accepted_requests import NewRequest
from tests.support.clock import FakeClock

LEASE = timedelta(seconds=60)


def _request(key: str, body: dict[str, Any] | None = None) -> NewRequest:
    return NewRequest(
        request_key=key,
        kind="command",
        body=body or {},
        team_id="T1",
        enterprise_id=None,
        org_wide=False,
    )


async def test_a_request_is_accepted_once_and_taken_over_when_abandoned(
    services: Services, clock: FakeClock
) -> None:
    key = f"slack:{uuid.uuid4().hex}"
    request = _request(key, {"text": "hello"})
    async with services.unit_of_work() as uow:
        first = (await uow.accepted_requests.accept([request], clock=clock, lease=LEASE))[key]
        again = await uow.accepted_requests.accept([request], clock=clock, lease=LEASE)
        await uow.commit()
    assert again == {}  # the same key: a replay

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
        settled = await uow.accepted_requests.settle([first, claim], now=clock())
        await uow.commit()
    assert settled == {claim}  # the first claim is no longer its own

    clock.advance(hours=2)
    async with services.unit_of_work() as uow:
        assert await uow.accepted_requests.purge_handled(before=clock() - timedelta(hours=1)) >= 1
        replayed = await uow.accepted_requests.accept([request], clock=clock, lease=LEASE)
        await uow.commit()
    assert key in replayed  # past the window, the key protects nothing


async def test_a_request_released_at_shutdown_is_taken_over_at_once(
    services: Services, clock: FakeClock
) -> None:
    key = f"slack:{uuid.uuid4().hex}"
    async with services.unit_of_work() as uow:
        accepted = await uow.accepted_requests.accept([_request(key)], clock=clock, lease=LEASE)
        claim = accepted[key]
        await uow.accepted_requests.release([claim], now=clock())
        await uow.commit()
    async with services.unit_of_work() as uow:
        taken = await uow.accepted_requests.claim_abandoned(now=clock(), lease=LEASE, limit=100)
        await uow.commit()
    assert key in {row.request_key for _claim, row in taken}


async def test_requests_accepted_together_each_get_a_claim_and_replays_none(
    services: Services, clock: FakeClock
) -> None:
    earlier, *new = [f"slack:{uuid.uuid4().hex}" for _ in range(4)]
    async with services.unit_of_work() as uow:
        await uow.accepted_requests.accept([_request(earlier)], clock=clock, lease=LEASE)
        await uow.commit()
    async with services.unit_of_work() as uow:
        claims = await uow.accepted_requests.accept(
            [_request(key, {"n": key}) for key in [*new, earlier]], clock=clock, lease=LEASE
        )
        await uow.commit()
    assert set(claims) == set(new)  # the earlier key is a replay
    assert len({claim.request_id for claim in claims.values()}) == len(new)
    async with services.unit_of_work() as uow:
        settled = await uow.accepted_requests.settle(list(claims.values()), now=clock())
        again = await uow.accepted_requests.settle(list(claims.values()), now=clock())
        await uow.commit()
    assert settled == set(claims.values())
    assert again == set()


async def test_a_withdrawn_request_is_not_kept(services: Services, clock: FakeClock) -> None:
    key = f"slack:{uuid.uuid4().hex}"
    async with services.unit_of_work() as uow:
        claims = await uow.accepted_requests.accept([_request(key)], clock=clock, lease=LEASE)
        await uow.accepted_requests.withdraw(list(claims.values()))
        await uow.commit()
    async with services.unit_of_work() as uow:
        again = await uow.accepted_requests.accept([_request(key)], clock=clock, lease=LEASE)
        await uow.commit()
    assert key in again  # the key is free: nothing was kept
