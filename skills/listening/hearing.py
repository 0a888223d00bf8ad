"""Listening in support channels (DOMAIN §6): what a message in a linked channel changes.

Counted per client and ISO week (in the tenant's timezone): the client's messages, the staff's,
those outside business hours, mentions of the people the tenant listed (managers,
executives), and staff questions left unanswered (ghosting). Never the text: a client message
is read once by the abuse detector, and its text is kept only if a person files it as evidence.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from skills.core.context import Services, system_actor
from skills.core.scope import Scope, UnknownTenantError, open_scope
from skills.listening.abuse import Finding, detect
from storage.models import Tenant
from storage.repositories.listening import Question

# Events older than this are never redelivered: their record can go.
EVENT_MEMORY = timedelta(days=2)


@dataclass(frozen=True)
class HeardMessage:
    """A message in a channel, as the surface saw it: who wrote, when, what it says."""

    tenant_id: str
    channel_id: str
    event_id: str
    from_client: bool
    at: datetime
    text: str
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heard:
    """What hearing a message did: its client (None when the channel is not linked), whether it
    was counted (not for a retried delivery), and a finding when it looks abusive."""

    client_id: int | None
    counted: bool
    finding: Finding | None = None


def iso_week(moment: datetime, timezone: str) -> str:
    """``2026-W48``: the ISO week of ``moment`` in the tenant's timezone."""
    year, week, _day = moment.astimezone(ZoneInfo(timezone)).isocalendar()
    return f"{year}-W{week:02d}"


def outside_business_hours(moment: datetime, tenant: Tenant) -> bool:
    """Whether ``moment`` falls outside the tenant's business days and hours."""
    local = moment.astimezone(ZoneInfo(tenant.timezone))
    start, end = (time.fromisoformat(part) for part in tenant.business_hours.split("-"))
    return local.weekday() not in tenant.business_days or not start <= local.time() < end


def business_days_before(moment: datetime, days: int, tenant: Tenant) -> datetime:
    """The moment ``days`` business days before ``moment`` (weekends and the like skipped)."""
    zone = ZoneInfo(tenant.timezone)
    local = moment.astimezone(zone)
    day: date = local.date()
    left = days
    while left > 0:
        day -= timedelta(days=1)
        if day.weekday() in tenant.business_days:
            left -= 1
    return datetime.combine(day, local.timetz()).astimezone(moment.tzinfo)


async def hear(services: Services, message: HeardMessage) -> Heard:
    """Count one message (see ``hear_many``)."""
    [heard] = await hear_many(services, [message])
    return heard


async def hear_many(services: Services, messages: list[HeardMessage]) -> list[Heard]:
    """Count messages of linked channels, each event once, and read clients' for abuse: one
    transaction per tenant, whatever the number of messages (the event path hands them over
    in batches). The results are in the messages' order."""
    results: dict[int, Heard] = {}
    by_tenant: dict[str, list[tuple[int, HeardMessage]]] = defaultdict(list)
    for position, message in enumerate(messages):
        by_tenant[message.tenant_id].append((position, message))
    for tenant_id, batch in by_tenant.items():
        try:
            async with open_scope(services, system_actor(tenant_id)) as scope:
                results.update(await _hear_batch(scope, batch))
                await scope.uow.commit()
        except UnknownTenantError:  # not set up (yet): nothing of it is linked
            results.update({position: Heard(None, counted=False) for position, _ in batch})
    return [results[position] for position in range(len(messages))]


async def _hear_batch(scope: Scope, batch: list[tuple[int, HeardMessage]]) -> dict[int, Heard]:
    uow, tenant = scope.uow, scope.tenant
    clients: dict[str, int | None] = {}
    for channel in {message.channel_id for _position, message in batch}:
        clients[channel] = await uow.listening.linked_client(tenant.id, channel)
    linked = [(position, message) for position, message in batch if clients[message.channel_id]]
    new_events = await uow.listening.first_times(
        tenant.id, [message.event_id for _position, message in linked], scope.now
    )
    results = {
        position: Heard(clients[message.channel_id], counted=False) for position, message in batch
    }
    totals: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    answered: set[str] = set()
    asked: dict[str, list[Question]] = defaultdict(list)
    for position, message in linked:
        client_id = clients[message.channel_id]
        if client_id is None or message.event_id not in new_events:
            continue
        new_events.discard(message.event_id)  # the same event twice in one batch counts once
        finding = (
            detect(message.text, extra_terms=tenant.abuse_extra_terms, allowed=tenant.abuse_allowed)
            if message.from_client
            else None
        )
        escalated = bool(set(message.mentions) & set(tenant.escalation_people))
        counter = totals[(client_id, iso_week(message.at, tenant.timezone))]
        counter["client_messages" if message.from_client else "staff_messages"] += 1
        counter["after_hours"] += int(outside_business_hours(message.at, tenant))
        counter["escalation_mentions"] += int(escalated and message.from_client)
        counter["flagged"] += int(finding is not None)
        if message.from_client:
            # Answers every question asked in the channel so far, this batch's included.
            answered.add(message.channel_id)
            asked.pop(message.channel_id, None)
        elif message.text.rstrip().endswith(("?", "？")):
            asked[message.channel_id].append(Question(client_id, message.channel_id, message.at))
        results[position] = Heard(client_id, counted=True, finding=finding)
    for channel in answered:
        await uow.listening.answered(tenant.id, channel)
    await uow.listening.ask(tenant.id, [question for each in asked.values() for question in each])
    for (client_id, week), counter in totals.items():
        await uow.listening.count(
            tenant.id, client_id, week, **{name: n for name, n in counter.items() if n}
        )
    return results


async def count_ghosting(services: Services) -> int:
    """Count staff questions the client left unanswered for the tenant's ``ghosting_days``
    business days (each once, in the week it became overdue); how many were counted."""
    async with services.unit_of_work() as uow:
        tenant_ids = await uow.listening.tenants_with_questions()
        cutoff_day = services.clock()
        await uow.commit()
    counted = 0
    for tenant_id in tenant_ids:
        async with open_scope(services, system_actor(tenant_id)) as scope:
            tenant = scope.tenant
            cutoff = business_days_before(cutoff_day, tenant.ghosting_days, tenant)
            overdue = await scope.uow.listening.unanswered_since(tenant.id, cutoff)
            week = iso_week(scope.now, tenant.timezone)
            for client_id in overdue:
                await scope.uow.listening.count(tenant.id, client_id, week, unanswered=1)
            await scope.uow.commit()
            counted += len(overdue)
    return counted


async def purge_old_signals(services: Services) -> int:
    """Delete counters older than each tenant's retention (default 400 days), and the record
    of long-past events; how many counter rows went."""
    now = services.clock()
    async with services.unit_of_work() as uow:
        tenants = await uow.tenants.all()
        purged = 0
        for tenant in tenants:
            oldest = iso_week(now - timedelta(days=tenant.signal_retention_days), tenant.timezone)
            purged += await uow.listening.purge(tenant.id, before_week=oldest)
        await uow.listening.forget_events(now - EVENT_MEMORY)
        await uow.commit()
    return purged
