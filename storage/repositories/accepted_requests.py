"""Chat requests acknowledged and not yet handled: the intake that makes an acknowledgement a
promise (docs/architecture.md).

A row is written before the platform gets its acknowledgement, claimed by the process that
handles it for a lease, and marked handled when the handling is over; a row whose lease ran out
unhandled (its process died) is claimed again by whichever process sweeps first. The request
key is unique, so a replayed request finds its row and is not handled twice. The rows are keyed
by the workspace's ids, not by tenant (a tenant may not exist yet when its first request comes),
and what the person sent is cleared from them once handled.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AcceptedRequest

# Claim tokens per renewing statement: well under every database's limit on parameters.
RENEW_BATCH = 500


@dataclass(frozen=True)
class Claim:
    """One process's hold on an accepted request: only this claim may settle it."""

    request_id: int
    token: str


class AcceptedRequestRepository:
    """Accepts, claims and settles acknowledged requests."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def accept(
        self,
        *,
        request_key: str,
        kind: str,
        body: dict[str, Any],
        team_id: str | None,
        enterprise_id: str | None,
        org_wide: bool,
        clock: Callable[[], datetime],
        lease: timedelta,
    ) -> Claim | None:
        """Record a request, claimed by the caller for ``lease``; None when a request with the
        same key was accepted before (a replay, or a platform's retry). The time is read from
        ``clock`` once a connection is held: a wait for one must not eat into the lease."""
        connection = await self._session.connection()
        now = clock()
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        token = str(uuid.uuid4())
        statement = (
            dialect.insert(AcceptedRequest)
            .values(
                request_key=request_key,
                kind=kind,
                body=body,
                team_id=team_id,
                enterprise_id=enterprise_id,
                org_wide=org_wide,
                accepted_at=now,
                attempts=1,
                claimed_until=now + lease,
                claim_token=token,
            )
            .on_conflict_do_nothing(index_elements=["request_key"])
            .returning(col(AcceptedRequest.id))
        )
        found = (await connection.execute(statement)).scalar()
        return None if found is None else Claim(int(found), token)

    async def claim_abandoned(
        self, *, now: datetime, lease: timedelta, limit: int
    ) -> list[tuple[Claim, AcceptedRequest]]:
        """Take up to ``limit`` unhandled requests whose lease ran out, oldest first, for one
        more lease each. On PostgreSQL rows another process is claiming are skipped."""
        statement = (
            select(AcceptedRequest)
            .where(
                col(AcceptedRequest.handled_at).is_(None),
                col(AcceptedRequest.claimed_until) <= now,
            )
            .order_by(col(AcceptedRequest.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = []
        for row in (await self._session.exec(statement)).all():
            row.claim_token = str(uuid.uuid4())
            row.claimed_until = now + lease
            row.attempts += 1
            self._session.add(row)
            claimed.append((Claim(row.id or 0, row.claim_token), row))
        return claimed

    async def settle(self, claim: Claim, *, now: datetime) -> bool:
        """Mark the request handled and forget what it said; False when the claim is no
        longer the current one (the lease ran out and another process took it over)."""
        statement = (
            update(AcceptedRequest)
            .where(
                col(AcceptedRequest.id) == claim.request_id,
                col(AcceptedRequest.claim_token) == claim.token,
                col(AcceptedRequest.handled_at).is_(None),
            )
            .values(handled_at=now, body=None)
        )
        return bool((await self._session.exec(statement)).rowcount)

    async def renew(self, claims: list[Claim], *, now: datetime, lease: timedelta) -> None:
        """Extend the leases of requests still being handled, so that no other process takes
        over a request that is slow, not abandoned."""
        tokens = [claim.token for claim in claims]
        for start in range(0, len(tokens), RENEW_BATCH):
            await self._session.exec(
                update(AcceptedRequest)
                .where(
                    col(AcceptedRequest.claim_token).in_(tokens[start : start + RENEW_BATCH]),
                    col(AcceptedRequest.handled_at).is_(None),
                )
                .values(claimed_until=now + lease)
            )

    async def release(self, claims: list[Claim], *, now: datetime) -> None:
        """Hand unfinished requests over at shutdown: their lease ends now, so the next
        process to sweep takes them at once."""
        for claim in claims:
            await self._session.exec(
                update(AcceptedRequest)
                .where(
                    col(AcceptedRequest.id) == claim.request_id,
                    col(AcceptedRequest.claim_token) == claim.token,
                    col(AcceptedRequest.handled_at).is_(None),
                )
                .values(claimed_until=now)
            )

    async def purge_handled(self, *, before: datetime) -> int:
        """Delete requests handled before ``before``: past the platform's replay window their
        keys protect nothing."""
        statement = delete(AcceptedRequest).where(
            col(AcceptedRequest.handled_at).is_not(None),
            col(AcceptedRequest.handled_at) < before,
        )
        return int((await self._session.exec(statement)).rowcount or 0)
