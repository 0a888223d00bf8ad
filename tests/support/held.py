"""Holding what another system sent about an account no client has the id of, as the webhook
routes do: through ``hold_for_matching``, in a transaction of its own."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import col, select

from skills.core.context import Services, system_actor
from skills.core.scope import open_scope
from skills.integrations.unmatched import hold_for_matching
from storage.book_models import Signal, SignalKind
from storage.integration_models import HeldSignal, UnmatchedAccount

ISSUED = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)


def invoice(
    event_id: str, kind: SignalKind = SignalKind.INVOICE_ISSUED, invoice_id: str = "in_1"
) -> HeldSignal:
    """An invoice event of Stripe's as a held signal (its id is the event's)."""
    return HeldSignal(
        source="stripe",
        external_id=event_id,
        kind=kind.value,
        occurred_at=ISSUED,
        amount=Decimal("1200.00"),
        currency="EUR",
        invoice_id=invoice_id,
    )


def ticket(
    event_id: str, kind: SignalKind = SignalKind.TICKET_OPENED, minutes: int | None = None
) -> HeldSignal:
    """A ticket event of Zendesk's as a held signal."""
    return HeldSignal(
        source="zendesk", external_id=event_id, kind=kind.value, occurred_at=ISSUED, minutes=minutes
    )


async def hold(
    services: Services,
    tenant_id: str,
    source: str,
    external_id: str,
    *signals: HeldSignal,
    name: str | None = None,
) -> None:
    """What a webhook does with events about an unknown account."""
    async with open_scope(services, system_actor(tenant_id)) as scope:
        await hold_for_matching(
            scope, source=source, external_id=external_id, display_name=name, signals=signals
        )
        await scope.uow.commit()


async def stored(
    services: Services, tenant_id: str
) -> tuple[list[UnmatchedAccount], list[HeldSignal], list[Signal]]:
    """The tenant's unmatched accounts, held signals and signals, as stored."""
    async with services.session_factory() as session:
        accounts = await session.exec(
            select(UnmatchedAccount).where(col(UnmatchedAccount.tenant_id) == tenant_id)
        )
        held = await session.exec(select(HeldSignal).where(col(HeldSignal.tenant_id) == tenant_id))
        signals = await session.exec(select(Signal).where(col(Signal.tenant_id) == tenant_id))
        return list(accounts.all()), list(held.all()), list(signals.all())
