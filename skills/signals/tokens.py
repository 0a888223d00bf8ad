"""The signals API's bearer tokens, one rule for the command line and for chat: made with
``secrets``, shown once, kept as their SHA-256, compared in constant time, revoked by name.

A token belongs to one tenant; whoever holds it can send that tenant's signals and nothing else.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from skills.core.context import Services
from skills.core.scope import Scope
from storage.book_models import ApiToken

# Makes a leaked token recognisable (secret scanners, a reader of a config file).
TOKEN_PREFIX = "yc_"
# 32 random bytes: 43 URL-safe characters after the prefix.
TOKEN_BYTES = 32
# Longer than any token made here: not worth hashing.
MAX_TOKEN = 200
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# ``last_used_at`` is written at most this often per token: a write on every request would
# double what a busy sender costs the database, and "used in the last minute" says enough.
LAST_USED_EVERY = timedelta(minutes=1)
# One per sending system is the use; a cap keeps anyone from multiplying the per-token rate.
MAX_ACTIVE_TOKENS = 20


class TokenError(ValueError):
    """A token could not be made or revoked; the message says why, in the scope's language."""


def token_hash(token: str) -> str:
    """The SHA-256 hex of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(scope: Scope, name: str) -> str:
    """Make and store a token named ``name`` for the scope's tenant, audited, and return it: the
    only time it is seen. TokenError for a bad name, one an active token has, or a tenant
    with ``MAX_ACTIVE_TOKENS`` already (two made at the same instant may pass it by one)."""
    t = scope.t
    if NAME.fullmatch(name) is None:
        raise TokenError(
            t._(
                "A token's name is 1 to 100 letters, digits, dots, dashes or underscores, "
                "starting with a letter or digit, like {example}.",
                example="helpdesk",
            )
        )
    if await scope.uow.api_tokens.count_active(scope.tenant.id) >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            t._(
                "A workspace can have at most {count} active tokens. Revoke one it no longer "
                "needs first.",
                count=MAX_ACTIVE_TOKENS,
            )
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(
        tenant_id=scope.tenant.id,
        name=name,
        token_hash=token_hash(token),
        created_at=scope.now,
        created_by=scope.actor.user_id,
    )
    if not await scope.uow.api_tokens.add(row):
        raise TokenError(
            t._(
                "An active token is already called {name}. Revoke it first, or choose another "
                "name.",
                name=t.quote(name),
            )
        )
    await scope.audit("api_token.created", subject=("api_token", name))
    await scope.uow.commit()
    return token


async def revoke_token(scope: Scope, name: str) -> None:
    """Revoke the tenant's active token named ``name``, audited; it is refused from now on.
    TokenError when no active token has that name."""
    token = await scope.uow.api_tokens.active(scope.tenant.id, name)
    if token is None:
        raise TokenError(scope.t._("No active token is called {name}.", name=scope.t.quote(name)))
    token.revoked_at, token.revoked_by = scope.now, scope.actor.user_id
    await scope.uow.api_tokens.save(token)
    await scope.audit("api_token.revoked", subject=("api_token", name))
    await scope.uow.commit()


async def list_tokens(scope: Scope) -> list[ApiToken]:
    """The tenant's tokens, active first (their hashes are no secret, but are not shown)."""
    return await scope.uow.api_tokens.all(scope.tenant.id)


@dataclass(frozen=True)
class Bearer:
    """Who sent a request with a valid token: the token's id and its tenant."""

    token_id: int
    tenant_id: str


async def authenticate(services: Services, token: str) -> Bearer | None:
    """The active token ``token`` is, or None (unknown, revoked, or not a token at all). Its
    last use is noted, at most once per ``LAST_USED_EVERY``."""
    # A token made here is ASCII; anything else (a header's undecodable bytes) is none.
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN or not token.isascii():
        return None
    digest = token_hash(token)
    async with services.unit_of_work() as uow:
        found = await uow.api_tokens.by_hash(digest)
        # The lookup is by the hash, an index; the comparison in constant time is the rule
        # all the same, so that no path ever compares a secret byte by byte.
        if found is None or found.id is None or not hmac.compare_digest(found.token_hash, digest):
            return None
        if found.revoked_at is not None:
            return None
        now = services.clock()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            found.last_used_at = now
            await uow.api_tokens.save(found)
            await uow.commit()
        return Bearer(found.id, found.tenant_id)
