"""What a verified webhook says, recorded as signals of the client whose id it names: the
billing id (Stripe's customer) or the help-desk id (Zendesk's organisation). An account no
client has the id of is held for a manager to match, never dropped (``unmatched``).

Each signal is kept once per tenant, source and the event's id, so a replayed webhook changes
nothing twice. Counts, minutes, amounts and ids only: never a ticket's or an invoice's text."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.integrations.connections import ConnectionKind, Receiver
from skills.integrations.unmatched import hold_for_matching, rename_waiting
from skills.suggestions.detection import suggest_non_payment
from storage.book_models import Signal, SignalKind
from storage.integration_models import HeldSignal
from storage.repositories.signals import ExternalId

# Kept for a voided invoice in place of its issue and overdue signals (which are removed): it
# tells a late or replayed event of that invoice that it no longer counts. The figures read
# no such kind (docs/integrations.md).
INVOICE_VOIDED = "invoice_voided"
# What voiding an invoice takes back; a payment stays (a paid invoice cannot be voided).
_VOIDABLE = (SignalKind.INVOICE_ISSUED.value, SignalKind.INVOICE_OVERDUE.value)
# ``Connection.last_event_at`` is written at most this often: "heard from in the last minute"
# says enough, and a write per event would double a busy sender's cost.
LAST_EVENT_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Heard:
    """One signal a webhook carries, with the id its system gives the event."""

    external_id: str
    kind: str
    at: datetime
    minutes: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    due_at: datetime | None = None
    invoice_id: str | None = None


@dataclass(frozen=True)
class Said:
    """What one webhook request says about one account: its signals (none for a change of
    name), and the name its system gives the account, to help a manager match it."""

    account: str
    display_name: str | None
    signals: tuple[Heard, ...] = ()


class Outcome(StrEnum):
    """What became of a webhook's signals (the answer's ``status``)."""

    RECORDED = "recorded"
    # Every signal was already kept: a replay.
    DUPLICATE = "duplicate"
    # The account is not matched to a client yet: held until a manager matches it.
    HELD = "held"
    # An event about an invoice voided since.
    VOIDED = "voided"
    IGNORED = "ignored"


async def receive(services: Services, receiver: Receiver, said: Said) -> Outcome:
    """Record (or hold) what the webhook says for the connection's tenant, in one
    transaction, and note when the connection was last heard from."""
    async with open_scope(services, system_actor(receiver.tenant_id)) as scope:
        # First: the connection's row, when written, is locked before any signal is, so two
        # requests of one connection never wait on each other in opposite orders.
        await _heard_from(scope, receiver)
        outcome, client_id = await _record(scope, receiver.kind, said)
        if outcome is Outcome.RECORDED and client_id is not None:
            # In the signals' transaction: a crash after the commit loses no suggestion.
            await suggest_non_payment(scope, [client_id])
        await scope.uow.commit()
    return outcome


async def _record(scope: Scope, kind: ConnectionKind, said: Said) -> tuple[Outcome, int | None]:
    """What became of what the webhook said, and the client it was recorded for."""
    source = kind.value
    signals = []
    for heard in said.signals:
        if heard.kind == INVOICE_VOIDED and heard.invoice_id:
            await scope.uow.integrations.delete_invoice_signals(
                scope.tenant.id, source, heard.invoice_id, _VOIDABLE
            )
        elif heard.invoice_id and heard.kind in _VOIDABLE:
            voided = await scope.uow.integrations.invoice_has(
                scope.tenant.id, source, heard.invoice_id, INVOICE_VOIDED
            )
            if voided:
                continue
        signals.append(heard)
    if said.signals and not signals:
        return Outcome.VOIDED, None
    field: ExternalId = "billing_id" if kind is ConnectionKind.STRIPE else "helpdesk_id"
    found = await scope.uow.signals.client_ids(scope.tenant.id, field, {said.account})
    client_id = found.get(said.account)
    if client_id is None:
        if not said.signals:
            # A new name alone (customer.updated) of an account no client has: it helps a
            # manager match an account already listed, and is no reason to list one (a
            # billing system's customers are not all clients).
            await rename_waiting(scope, source, said.account, said.display_name)
            return Outcome.IGNORED, None
        held = [_held(scope, source, heard) for heard in signals]
        await hold_for_matching(
            scope,
            source=source,
            external_id=said.account,
            display_name=said.display_name,
            signals=held,
        )
        return Outcome.HELD, None
    if not signals:
        # A change of name of a matched account: the client's record is a person's to edit.
        return Outcome.IGNORED, client_id
    rows = [_signal(scope, source, heard, client_id) for heard in signals]
    inserted = await scope.uow.signals.insert_new(rows)
    return (Outcome.RECORDED if inserted else Outcome.DUPLICATE), client_id


async def _heard_from(scope: Scope, receiver: Receiver) -> None:
    connection = await scope.uow.integrations.get(receiver.connection_id)
    if connection is None:
        return
    last = connection.last_event_at
    if last is None or scope.now - last >= LAST_EVENT_EVERY:
        connection.last_event_at = scope.now
        await scope.uow.integrations.save(connection)


def _signal(scope: Scope, source: str, heard: Heard, client_id: int) -> Signal:
    return Signal(client_id=client_id, **_columns(scope, source, heard))


def _held(scope: Scope, source: str, heard: Heard) -> HeldSignal:
    # ``account_id`` is filled in by ``hold_for_matching`` with the account's id.
    return HeldSignal(account_id=0, **_columns(scope, source, heard))


def _columns(scope: Scope, source: str, heard: Heard) -> dict[str, Any]:
    """What a kept and a held signal share: all but the client or the account."""
    return {
        "tenant_id": scope.tenant.id,
        "source": source,
        "external_id": heard.external_id,
        "kind": heard.kind,
        "occurred_at": heard.at,
        "minutes": heard.minutes,
        "amount": heard.amount,
        "currency": heard.currency,
        "due_at": heard.due_at,
        "invoice_id": heard.invoice_id,
        "received_at": scope.now,
    }
