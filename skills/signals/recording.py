"""Recording a checked batch of signals for one tenant: each item's client found, never
created; each signal kept once per tenant, source and id; a result per item, in order."""

from dataclasses import dataclass
from enum import StrEnum

from skills.clients.lookup import find_clients
from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.signals.checking import Batch, ClientRef, ErrorCode, Rejection, SignalItem
from skills.suggestions.detection import suggest_non_payment
from storage.book_models import Signal


class Status(StrEnum):
    """What became of one item."""

    ACCEPTED = "accepted"
    # The tenant already had a signal from this source with this id: the first one stands.
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ItemResult:
    """One item's result, as the API answers it."""

    id: str | None
    status: Status
    error: ErrorCode | None = None
    message: str | None = None


async def record_batch(services: Services, tenant_id: str, batch: Batch) -> list[ItemResult]:
    """Record the batch's signals for the tenant, in one transaction; the result of each item
    in the batch's order."""
    async with open_scope(services, system_actor(tenant_id)) as scope:
        clients = await _find_clients(scope, batch)
        results: dict[int, ItemResult] = {}
        recordable: list[tuple[int, SignalItem, int]] = []
        for index, item in enumerate(batch.items):
            if isinstance(item, Rejection):
                results[index] = ItemResult(item.id, Status.REJECTED, item.error, item.message)
            elif (client_id := clients.get(item.client)) is None:
                results[index] = _unknown_client(item)
            else:
                recordable.append((index, item, client_id))
        # Inserted in the order of their ids: two batches sharing ids in another order would
        # otherwise each wait on the other's uncommitted rows (a deadlock on PostgreSQL).
        recordable.sort(key=lambda entry: entry[1].id)
        signals = [_signal(scope, batch.source, item, client) for _i, item, client in recordable]
        inserted = await scope.uow.signals.insert_new(signals)
        touched = sorted({client for _i, item, client in recordable if item.id in inserted})
        for index, item, _client in recordable:
            # An id twice in the batch: the first went in, the second is its duplicate.
            status = Status.ACCEPTED if item.id in inserted else Status.DUPLICATE
            inserted.discard(item.id)
            results[index] = ItemResult(item.id, status)
        # In the signals' transaction, as every message goes with its cause: a crash after the
        # commit loses no suggestion. A replayed batch touched nobody (and a suggestion is
        # made once per key anyway).
        await suggest_non_payment(scope, touched)
        await scope.uow.commit()
    return [results[index] for index in range(len(batch.items))]


async def _find_clients(scope: Scope, batch: Batch) -> dict[ClientRef, int]:
    """The client id of every client the batch names (those found): a query per external-id
    field for the whole batch; the names the way ``/client`` finds them (``find_clients``)."""
    refs = {item.client for item in batch.items if isinstance(item, SignalItem)}
    found: dict[ClientRef, int] = {}
    for field in ("billing_id", "helpdesk_id"):
        values = {ref.value for ref in refs if ref.field == field}
        ids = await scope.uow.signals.client_ids(scope.tenant.id, field, values)
        found.update({ClientRef(field, value): client_id for value, client_id in ids.items()})
    named = await find_clients(scope, {ref.value for ref in refs if ref.field == "name"})
    found.update({ClientRef("name", name): client_id for name, client_id in named.items()})
    return found


def _signal(scope: Scope, source: str, item: SignalItem, client_id: int) -> Signal:
    return Signal(
        tenant_id=scope.tenant.id,
        source=source,
        external_id=item.id,
        client_id=client_id,
        kind=item.kind.value,
        occurred_at=item.at,
        minutes=item.minutes,
        amount=item.amount,
        currency=item.currency,
        due_at=item.due_at,
        invoice_id=item.invoice_id,
        received_at=scope.now,
    )


def _unknown_client(item: SignalItem) -> ItemResult:
    field, value = item.client.field, item.client.value
    if field == "name":
        said = f"no client is called {value!r} (by its name or an alias)"
    else:
        key = field.replace("_", "-")
        said = f"no client has the {field} {value!r} (set it with /client edit … {key}=…)"
    return ItemResult(
        item.id,
        Status.REJECTED,
        ErrorCode.UNKNOWN_CLIENT,
        f"{said}; signals never create clients: add it with /client add or "
        f"yellowcard clients import",
    )
