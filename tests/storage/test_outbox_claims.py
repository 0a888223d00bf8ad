"""Outbox claims: a dispatcher whose lease ran out cannot settle a row another one claimed."""

from datetime import timedelta

from skills.core.context import Services
from skills.core.tenancy import ensure_tenant
from skills.outbox.delivery import RetryPolicy, claim_due, settle_sent
from skills.outbox.messages import summary_message
from storage.models import OutboxMessage
from tests.support.clock import FakeClock

POLICY = RetryPolicy(lease=timedelta(seconds=60))


async def _queued(services: Services, tenant_id: str) -> OutboxMessage:
    tenant = await ensure_tenant(services, tenant_id=tenant_id, platform="claimtest")
    now = services.clock()
    async with services.unit_of_work() as uow:
        message = summary_message(tenant, "C1", key="k", start=now, end=now, now=now)
        assert await uow.outbox.add(message)
        await uow.commit()
        return message


async def test_a_late_dispatcher_cannot_settle_a_row_claimed_again(
    services: Services, clock: FakeClock
) -> None:
    tenant_id = f"claimtest:{clock.now.timestamp()}"
    await _queued(services, tenant_id)
    only = frozenset({tenant_id})
    [first] = await claim_due(services, "claimtest", only, limit=5, policy=POLICY)
    assert POLICY.may_send(first, clock.now)
    assert await claim_due(services, "claimtest", only, limit=5, policy=POLICY) == []
    clock.advance(seconds=31)
    assert not POLICY.may_send(first, clock.now)  # too little lease left to start a send
    clock.advance(seconds=30)
    [second] = await claim_due(services, "claimtest", only, limit=5, policy=POLICY)
    assert second.claim_token != first.claim_token

    await settle_sent(services, first, channel="C1", platform_message_id="1.1")
    async with services.unit_of_work() as uow:
        row = await uow.outbox.get(first.id or 0)
        assert row is not None
        assert (row.status, row.platform_message_id) == ("pending", None)
    await settle_sent(services, second, channel="C1", platform_message_id="2.2")
    async with services.unit_of_work() as uow:
        row = await uow.outbox.get(first.id or 0)
        assert row is not None
        assert (row.status, row.platform_message_id, row.attempts) == ("sent", "2.2", 2)
