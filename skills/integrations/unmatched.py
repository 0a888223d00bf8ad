"""Accounts of another system that no client has the id of yet: what they send is held, not
dropped, until a manager matches the account to a client (docs/integrations.md).

This module keeps the contract ``hold_for_matching``; telling the managers and matching are
built on it."""

from collections.abc import Sequence

from skills.core.scope import Scope
from storage.integration_models import HeldSignal


async def hold_for_matching(
    scope: Scope,
    *,
    source: str,
    external_id: str,
    display_name: str | None,
    signals: Sequence[HeldSignal],
) -> None:
    """Note the account (``source`` "stripe": a billing id; "zendesk": a help-desk id) with
    the name its system gives it, and hold ``signals`` for it, each once per tenant, source
    and id. Within the scope's transaction; the caller commits."""
    account = await scope.uow.integrations.account(
        scope.tenant.id, source, external_id, now=scope.now
    )
    if display_name:
        account.display_name = display_name[:200]
    account.last_seen_at = scope.now
    if account.id is not None:
        for signal in signals:
            signal.account_id = account.id
    held = await scope.uow.integrations.hold(signals)
    account.events += len(held)
    await scope.uow.integrations.save(account)
