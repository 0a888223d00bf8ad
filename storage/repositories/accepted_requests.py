"""Chat requests acknowledged and not yet handled: the intake that makes an acknowledgement a
promise (docs/architecture.md).

Rows are written before the platform gets their acknowledgements (the intake writes the
requests that arrive together in one statement), each claimed by the process that handles it
for a lease, and marked handled when the handling is over (again several in one statement); a
row whose lease ran out unhandled (its process died) is claimed again by whichever process
sweeps first. The request key is unique, so a replayed request finds its row and is not handled
twice. The rows are keyed by the workspace's ids, not by tenant (a tenant may not exist yet when
its first request comes), and what the person sent is cleared from them once handled.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AcceptedRequest

# Claim tokens per statement: well under every database's limit on parameters.
TOKEN_BATCH = 500


@dataclass(frozen=True)
class Claim:
    """One process's hold on an accepted request: only this claim may settle it."""

    request_id: int
    token: str


@dataclass(frozen=True)
class NewRequest:
    """A request as it arrived, to be accepted."""

    request_key: str
    kind: str
    body: dict[str, Any]
    team_id: str | None
    enterprise_id: str | None
    org_wide: bool


class AcceptedRequestRepository:
    """Accepts, claims and settles acknowledged requests."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def accept(
        self, requests: Sequence[NewRequest], *, clock: Callable[[], datetime], lease: timedelta
    ) -> dict[str, Claim]:
        """Record ``requests`` (distinct keys) in one statement, each claimed by the caller for
        ``lease``: their claims by key. A key accepted before (a replay, or a platform's retry)
        has none. The time is read from ``clock`` once a connection is held: a wait for one
        must not eat into the lease."""
        connection = await self._session.connection()
        now = clock()
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        tokens = {request.request_key: str(uuid.uuid4()) for request in requests}
        statement = (
            dialect.insert(AcceptedRequest)
            .values(
                [
                    {
                        "request_key": request.request_key,
                        "kind": request.kind,
                        "body": request.body,
                        "team_id": request.team_id,
                        "enterprise_id": request.enterprise_id,
                        "org_wide": request.org_wide,
                        "accepted_at": now,
                        "attempts": 1,
                        "claimed_until": now + lease,
                        "claim_token": tokens[request.request_key],
                    }
                    for request in requests
                ]
            )
            .on_conflict_do_nothing(index_elements=["request_key"])
            # The order of RETURNING's rows is not the order of VALUES: each names its key.
            .returning(col(AcceptedRequest.id), col(AcceptedRequest.request_key))
        )
        inserted = (await connection.execute(statement)).all()
        return {key: Claim(int(found), tokens[key]) for found, key in inserted}

    async def withdraw(self, claims: Sequence[Claim]) -> None:
        """Delete accepted requests that will not be acknowledged after all (the caller gave
        up waiting, before or during the commit): stored, they would be handled though the
        person was told they failed."""
        tokens = [claim.token for claim in claims]
        for start in range(0, len(tokens), TOKEN_BATCH):
            await self._session.exec(
                delete(AcceptedRequest).where(
                    col(AcceptedRequest.claim_token).in_(tokens[start : start + TOKEN_BATCH])
                )
            )

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

    async def settle(self, claims: Sequence[Claim], *, now: datetime) -> set[Claim]:
        """Mark requests handled and forget what they said: the claims that settled theirs.
        A claim no longer current (its lease ran out and another process took the request
        over) settles nothing."""
        connection = await self._session.connection()
        by_token = {claim.token: claim for claim in claims}
        tokens = list(by_token)
        settled: set[Claim] = set()
        for start in range(0, len(tokens), TOKEN_BATCH):
            statement = (
                update(AcceptedRequest)
                .where(
                    col(AcceptedRequest.claim_token).in_(tokens[start : start + TOKEN_BATCH]),
                    col(AcceptedRequest.handled_at).is_(None),
                )
                .values(handled_at=now, body=None)
                .returning(col(AcceptedRequest.claim_token))
            )
            found = (await connection.execute(statement)).scalars()
            settled.update(by_token[token] for token in found)
        return settled

    async def renew(self, claims: list[Claim], *, now: datetime, lease: timedelta) -> None:
        """Extend the leases of requests still being handled, so that no other process takes
        over a request that is slow, not abandoned."""
        tokens = [claim.token for claim in claims]
        for start in range(0, len(tokens), TOKEN_BATCH):
            await self._session.exec(
                update(AcceptedRequest)
                .where(
                    col(AcceptedRequest.claim_token).in_(tokens[start : start + TOKEN_BATCH]),
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
