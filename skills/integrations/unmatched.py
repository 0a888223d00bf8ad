"""Accounts of other systems that no client has the id of: held, listed once, then matched.

A webhook about a Stripe customer (or a Zendesk organisation) that no client has as its
``billing_id`` (or ``helpdesk_id``) is not dropped: ``hold_for_matching`` keeps its signals as
``HeldSignal`` rows and, the first time only, tells the managers privately through the outbox,
with a button to match it. Once a client has the id (``/client match``, or ``/client edit`` and
the import calling ``release_held``), the held signals become that client's ``Signal`` rows.
"""

from collections.abc import Sequence

from skills.core.scope import Scope
from skills.outbox.messages import queue_unmatched_notice
from skills.suggestions.detection import suggest_non_payment
from storage.book_models import Signal
from storage.integration_models import HeldSignal, UnmatchedAccount
from storage.models import Client
from storage.repositories.signals import ExternalId

# Each source and the client column its account ids fill.
SOURCES: dict[str, ExternalId] = {"stripe": "billing_id", "zendesk": "helpdesk_id"}
# The display name column's length.
NAME_LIMIT = 200


async def hold_for_matching(
    scope: Scope,
    *,
    source: str,
    external_id: str,
    display_name: str | None,
    signals: Sequence[HeldSignal],
) -> None:
    """Keep ``signals`` for the account ``external_id`` of ``source`` (``stripe``: a billing
    id; ``zendesk``: a help-desk id) until a manager matches it to a client, and tell the
    managers about the account the first time it is heard of.

    Each signal is kept once per tenant, source and its ``external_id`` (a replay adds
    nothing); ``account_id``, ``tenant_id`` and a missing ``received_at`` are filled in here.
    The account's ``display_name`` is the latest the system gave. An account matched meanwhile
    gets the signals as its client's at once. Works in the caller's transaction: the caller
    commits.
    """
    if source not in SOURCES:
        raise ValueError(f"not a source of accounts: {source!r}")
    tenant_id = scope.tenant.id
    name = _display_name(display_name)
    account = await scope.uow.unmatched.lock_or_add(
        UnmatchedAccount(
            tenant_id=tenant_id,
            source=source,
            external_id=external_id,
            display_name=name,
            first_seen_at=scope.now,
            last_seen_at=scope.now,
        )
    )
    for signal in signals:
        signal.tenant_id = tenant_id
        signal.account_id = account.id or 0
        signal.received_at = signal.received_at or scope.now
    # In the order of their ids, as the signals API inserts: no two requests wait on each other.
    ordered = sorted(signals, key=lambda signal: signal.external_id)
    if account.matched_client_id is not None:
        await scope.uow.signals.insert_new(
            [_as_signal(held, account.matched_client_id) for held in ordered]
        )
        return
    account.events += await scope.uow.unmatched.hold(ordered)
    account.last_seen_at = scope.now
    account.display_name = name or account.display_name
    if account.notified_at is None:
        account.notified_at = scope.now
        await queue_unmatched_notice(scope, account.id or 0)
        await scope.audit(
            "account.unmatched",
            subject=("account", str(account.id)),
            source=source,
            external_id=external_id,
        )
    await scope.uow.unmatched.save(account)


async def rename_waiting(
    scope: Scope, source: str, external_id: str, display_name: str | None
) -> None:
    """Keep the latest name the other system gives an account already waiting to be matched;
    an account nobody has heard of is not made for a name alone."""
    name = _display_name(display_name)
    account = await scope.uow.unmatched.lock(scope.tenant.id, source, external_id)
    if account is not None and name is not None and account.display_name != name:
        account.display_name = name
        await scope.uow.unmatched.save(account)


async def release_held(scope: Scope, client: Client) -> int:
    """Give ``client`` what was held for the accounts it has the ids of (its ``billing_id``'s
    Stripe customer, its ``helpdesk_id``'s Zendesk organisation), and mark them matched to it;
    how many signals it got. Idempotent; audited per account. Call it whenever a client gets
    one of those ids (``/client match``, ``/client edit``, the import), in that transaction."""
    moved = 0
    for source, field in SOURCES.items():
        external_id = getattr(client, field)
        if not external_id:
            continue
        account = await scope.uow.unmatched.lock(scope.tenant.id, source, external_id)
        if account is None or account.matched_client_id is not None:
            continue
        moved += await _move(scope, account, client.id or 0)
    if moved:
        # An invoice held unpaid may be overdue long enough to suggest a report already.
        await suggest_non_payment(scope, [client.id or 0])
    return moved


async def release_held_for(scope: Scope, clients: Sequence[Client]) -> int:
    """``release_held`` for the ``clients`` that now have the id of an account still waiting
    (one read of the waiting accounts, however many clients: an import may give thousands
    their ids); how many signals they got."""
    waiting = {
        (account.source, account.external_id)
        for account in await scope.uow.unmatched.waiting(scope.tenant.id)
    }
    moved = 0
    for client in clients:
        if any((source, getattr(client, field)) in waiting for source, field in SOURCES.items()):
            moved += await release_held(scope, client)
    return moved


async def _move(scope: Scope, account: UnmatchedAccount, client_id: int) -> int:
    """The account's held signals as the client's signals (one already there stays as it
    was), the held ones deleted, the account matched; how many went in."""
    held = await scope.uow.unmatched.held(scope.tenant.id, account.id or 0)
    inserted = await scope.uow.signals.insert_new([_as_signal(row, client_id) for row in held])
    await scope.uow.unmatched.release(scope.tenant.id, account.id or 0)
    account.matched_client_id = client_id
    account.matched_at = scope.now
    account.matched_by = scope.actor.user_id
    await scope.uow.unmatched.save(account)
    await scope.audit(
        "account.matched",
        subject=("account", str(account.id)),
        source=account.source,
        external_id=account.external_id,
        client_id=client_id,
        signals=len(inserted),
    )
    return len(inserted)


def _as_signal(held: HeldSignal, client_id: int) -> Signal:
    """The held signal as the client's: the same columns, the client for the account."""
    return Signal(client_id=client_id, **held.model_dump(exclude={"id", "account_id"}))


def _display_name(given: str | None) -> str | None:
    """The name another system gives an account, trimmed and clipped; None when empty."""
    return given.strip()[:NAME_LIMIT] if given and given.strip() else None
