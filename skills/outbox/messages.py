"""The messages skills queue in the outbox, with the change that calls for them.

Each kind names what the dispatcher composes when it sends: the message is drawn from the
database at send time, so a ping sent late already shows a decision taken meanwhile.
Dedupe keys make every logical message unique, however many retries or replicas queue it.
"""

import hashlib
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from skills.core.scope import Scope
from skills.outbox.files import DESTINATION
from storage.models import Escalation, OutboxMessage, Tenant

# Managers are whoever the workspace's admins are while the tenant lists none; the dispatcher
# asks the platform who they are when it sends.
ADMINS_RECIPIENT = "@admins"
# A refresh updates every copy already sent, whoever it went to.
EVERY_COPY = "*"


class MessageKind(StrEnum):
    """What an outbox row is."""

    MANAGER_PING = "manager_ping"
    MANAGER_REMINDER = "manager_reminder"
    ESCALATION_REFRESH = "escalation_refresh"
    WEEKLY_SUMMARY = "weekly_summary"
    ABUSE_NOTE = "abuse_note"
    WELCOME = "welcome"
    CLIENT_EXPORT = "client_export"
    UNMATCHED_ACCOUNT = "unmatched_account"
    SUGGESTION = "suggestion"


# Copies of an escalation's message, updated in place when something happens to it.
ESCALATION_COPIES = (MessageKind.MANAGER_PING, MessageKind.MANAGER_REMINDER)


def escalation_key(escalation_id: int) -> str:
    """The dedupe-key prefix of every message about one escalation."""
    return f"escalation:{escalation_id}:"


async def queue_to_managers(
    scope: Scope, escalation: Escalation, kind: MessageKind, label: str
) -> tuple[OutboxMessage, ...]:
    """One message per manager about the escalation (``label`` tells this round from others)."""
    queued = []
    for recipient in scope.tenant.manager_ids or [ADMINS_RECIPIENT]:
        message = OutboxMessage(
            tenant_id=scope.tenant.id,
            dedupe_key=f"{escalation_key(escalation.id or 0)}{label}:{recipient}",
            kind=kind.value,
            recipient_id=recipient,
            payload={"escalation_id": escalation.id, "client_id": escalation.client_id},
            created_at=scope.now,
            due_at=scope.now,
        )
        if await scope.uow.outbox.add(message):
            queued.append(message)
    return tuple(queued)


async def queue_unmatched_notice(scope: Scope, account_id: int) -> None:
    """One message per manager about an account of another system no client is matched to
    (``skills/integrations/unmatched.py``), drawn when it is sent."""
    for recipient in scope.tenant.manager_ids or [ADMINS_RECIPIENT]:
        await scope.uow.outbox.add(
            OutboxMessage(
                tenant_id=scope.tenant.id,
                dedupe_key=f"unmatched:{account_id}:{recipient}",
                kind=MessageKind.UNMATCHED_ACCOUNT.value,
                recipient_id=recipient,
                payload={"account_id": account_id},
                created_at=scope.now,
                due_at=scope.now,
            )
        )


async def queue_refresh(scope: Scope, escalation_id: int, event: str) -> None:
    """Update every copy of the escalation's message in place (``event`` names what changed,
    so the same change queued twice is one refresh)."""
    await scope.uow.outbox.add(
        OutboxMessage(
            tenant_id=scope.tenant.id,
            dedupe_key=f"{escalation_key(escalation_id)}refresh:{event}",
            kind=MessageKind.ESCALATION_REFRESH.value,
            recipient_id=EVERY_COPY,
            payload={"escalation_id": escalation_id},
            created_at=scope.now,
            due_at=scope.now,
        )
    )


def summary_message(
    tenant: Tenant, recipient: str, *, key: str, start: datetime, end: datetime, now: datetime
) -> OutboxMessage:
    """The weekly summary of [start, end) for one channel (or one person, for a preview)."""
    return OutboxMessage(
        tenant_id=tenant.id,
        dedupe_key=f"summary:{key}:{recipient}",
        kind=MessageKind.WEEKLY_SUMMARY.value,
        recipient_id=recipient,
        payload={"start": start.isoformat(), "end": end.isoformat()},
        created_at=now,
        due_at=now,
    )


def abuse_note_key(client_id: int, event_id: str, recipient: str) -> str:
    """One note per heard message and recipient. The event id is hashed: it holds a channel id,
    which can be longer than a dedupe key may be."""
    digest = hashlib.sha256(event_id.encode()).hexdigest()[:32]
    return f"abuse-note:{client_id}:{digest}:{recipient}"


async def queue_abuse_notes(
    scope: Scope,
    recipients: list[str],
    *,
    client_id: int,
    event_id: str,
    payload: dict[str, Any],
) -> tuple[OutboxMessage, ...]:
    """One note per recipient about the heard message ``event_id`` (``payload`` is what the
    dispatcher draws it from)."""
    queued = []
    for recipient in recipients:
        message = OutboxMessage(
            tenant_id=scope.tenant.id,
            dedupe_key=abuse_note_key(client_id, event_id, recipient),
            kind=MessageKind.ABUSE_NOTE.value,
            recipient_id=recipient,
            payload=dict(payload),
            created_at=scope.now,
            due_at=scope.now,
        )
        if await scope.uow.outbox.add(message):
            queued.append(message)
    return tuple(queued)


def welcome_message(
    tenant_id: str, recipient: str, *, admin: bool, locale: str | None, now: datetime
) -> OutboxMessage:
    """The welcome for one person, drawn when it is sent: ``admin`` (a workspace admin acts as
    a manager while the tenant names none) and ``locale`` (their platform's) are what the
    platform said of them when they were met."""
    return OutboxMessage(
        tenant_id=tenant_id,
        dedupe_key=f"welcome:{recipient}",
        kind=MessageKind.WELCOME.value,
        recipient_id=recipient,
        payload={"admin": admin, "locale": locale},
        created_at=now,
        due_at=now,
    )


async def queue_export(scope: Scope, client_id: int) -> OutboxMessage:
    """The client's export as a file to the person who asked, drawn when it is sent. The key
    is one per request (its person and moment, hashed: a person's id can be long)."""
    digest = hashlib.sha256(f"{scope.actor.user_id}\n{scope.now.isoformat()}".encode())
    message = OutboxMessage(
        tenant_id=scope.tenant.id,
        dedupe_key=f"export:{client_id}:{digest.hexdigest()[:32]}",
        kind=MessageKind.CLIENT_EXPORT.value,
        recipient_id=scope.actor.user_id,
        payload={"client_id": client_id},
        created_at=scope.now,
        due_at=scope.now,
    )
    await scope.uow.outbox.add(message)
    return message


async def queue_accepted_file(
    scope: Scope, offer: OutboxMessage, destination: Mapping[str, str]
) -> bool:
    """The offered file again, to be put where the person allowed it; False when an earlier
    answer to the same offer was queued already (one upload per offer)."""
    return await scope.uow.outbox.add(
        OutboxMessage(
            tenant_id=offer.tenant_id,
            dedupe_key=f"{offer.dedupe_key}:accepted",
            kind=offer.kind,
            recipient_id=offer.recipient_id,
            payload={**offer.payload, DESTINATION: dict(destination)},
            created_at=scope.now,
            due_at=scope.now,
        )
    )
