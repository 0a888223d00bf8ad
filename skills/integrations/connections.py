"""Webhook connections, one rule for the command line and for chat: each has a random id (its
URL, ``/webhooks/<kind>/<id>``) and the signing secret the other system signs with, kept
encrypted with Fernet under ``SECRETS_KEY`` (it verifies every request, so it cannot be a
one-way hash). The secret is never shown again, logged or audited."""

import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from skills.core.context import Services
from skills.core.scope import Scope
from storage.integration_models import Connection

# 24 random bytes: 32 URL-safe characters, unguessable, short enough for a URL.
ID_BYTES = 24
# Longer than any signing secret Stripe or Zendesk makes; the column holds its encryption.
MAX_SECRET = 200
KEY_VARIABLE = "SECRETS_KEY"
MAKE_KEY = (
    '.venv/bin/python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


class ConnectionKind(StrEnum):
    """The systems Yellowcard takes webhooks from."""

    STRIPE = "stripe"
    ZENDESK = "zendesk"


class ConnectionSetupError(ValueError):
    """A connection could not be made or revoked; the message says why, in the scope's
    language."""


class SecretsKeyMissingError(RuntimeError):
    """``SECRETS_KEY`` is not set, is not a Fernet key, or is not the key a secret was kept
    under: no secret can be kept or read."""

    def __init__(self) -> None:
        super().__init__(
            f"{KEY_VARIABLE} is not set to a Fernet key (or not to the one the secrets were "
            f"kept under), so webhook signing secrets cannot be kept or read. Make one with "
            f"{MAKE_KEY} and set it in the environment or .env (docs/integrations.md); keep "
            f"it: the secrets stored under it need it."
        )


def path_of(connection: Connection) -> str:
    """The path the other system posts to."""
    return f"/webhooks/{connection.kind}/{connection.id}"


def _fernet(keys: str | None) -> MultiFernet:
    """``SECRETS_KEY``: one key, or several separated by commas while keys are rotated, the
    first encrypting and any reading (docs/integrations.md)."""
    if not keys:
        raise SecretsKeyMissingError
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",")])
    except ValueError:
        raise SecretsKeyMissingError from None


async def create_connection(scope: Scope, kind: str, secret: str) -> Connection:
    """Make and store a connection of ``kind`` for the scope's tenant, its secret encrypted,
    audited (without the secret). ConnectionSetupError for an unknown kind or a secret that is
    not one; SecretsKeyMissingError without ``SECRETS_KEY``."""
    t = scope.t
    try:
        checked = ConnectionKind(kind.lower())
    except ValueError:
        raise ConnectionSetupError(
            t._(
                "Yellowcard connects only to {kinds}.",
                kinds=t.one_of([kind.value for kind in ConnectionKind]),
            )
        ) from None
    secret = secret.strip()
    if not secret or len(secret) > MAX_SECRET or not secret.isprintable() or " " in secret:
        raise ConnectionSetupError(
            t._(
                "A signing secret is the text the other system shows as its webhook's secret, "
                "like {example}: one word, at most {count} characters.",
                example="whsec_…",
                count=MAX_SECRET,
            )
        )
    if checked is ConnectionKind.STRIPE and not secret.startswith("whsec_"):
        raise ConnectionSetupError(
            t._(
                "A Stripe signing secret starts with {prefix}: copy it from the endpoint's "
                "page in Stripe's Dashboard (Developers, Webhooks).",
                prefix="whsec_",
            )
        )
    connection = Connection(
        id=secrets.token_urlsafe(ID_BYTES),
        tenant_id=scope.tenant.id,
        kind=checked.value,
        secret_encrypted=_fernet(scope.secrets_key).encrypt(secret.encode()).decode(),
        created_at=scope.now,
        created_by=scope.actor.user_id,
    )
    await scope.uow.integrations.add(connection)
    await scope.audit(
        "connection.created", subject=("connection", connection.id), kind=checked.value
    )
    await scope.uow.commit()
    return connection


async def revoke_connection(scope: Scope, connection_id: str) -> Connection:
    """Revoke the tenant's active connection of that id, audited: its requests are refused
    (404) from now on. ConnectionSetupError when the tenant has no active one of that id."""
    found = await scope.uow.integrations.get(connection_id)
    if found is None or found.tenant_id != scope.tenant.id or found.revoked_at is not None:
        raise ConnectionSetupError(
            scope.t._("No active connection has the id {id}.", id=scope.t.quote(connection_id))
        )
    found.revoked_at, found.revoked_by = scope.now, scope.actor.user_id
    await scope.uow.integrations.save(found)
    await scope.audit("connection.revoked", subject=("connection", connection_id))
    await scope.uow.commit()
    return found


async def list_connections(scope: Scope) -> list[Connection]:
    """The tenant's connections, active first (their secrets are not shown)."""
    return await scope.uow.integrations.all(scope.tenant.id)


@dataclass(frozen=True)
class Receiver:
    """An active connection as a webhook request needs it: whose, which kind, and the secret
    to verify with (kept in memory only for that request)."""

    connection_id: str
    tenant_id: str
    kind: ConnectionKind
    # Never in a repr: not in a traceback, not in a log line.
    secret: str = field(repr=False)


async def receiver(services: Services, kind: str, connection_id: str) -> Receiver | None:
    """The active connection of that kind and id with its secret decrypted; None when there is
    none (unknown, revoked, or of the other kind). SecretsKeyMissingError without the key, or
    when the secret was kept under another key."""
    if len(connection_id) > 64:
        return None
    async with services.unit_of_work() as uow:
        found = await uow.integrations.get(connection_id)
        if found is None or found.revoked_at is not None or found.kind != kind:
            return None
        sealed, tenant_id = found.secret_encrypted, found.tenant_id
    try:
        secret = _fernet(services.secrets_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SecretsKeyMissingError from None
    return Receiver(connection_id, tenant_id, ConnectionKind(kind), secret)


async def rekey_connections(services: Services) -> int:
    """Encrypt every connection's secret, of every tenant, again under ``SECRETS_KEY``'s first
    key (``MultiFernet.rotate``), so that the keys after it can be removed; how many there
    are. The connections keep their ids, so no webhook URL changes."""
    fernet = _fernet(services.secrets_key)
    async with services.unit_of_work() as uow:
        connections = await uow.integrations.every()
        for connection in connections:
            try:
                rotated = fernet.rotate(connection.secret_encrypted.encode())
            except InvalidToken:
                raise SecretsKeyMissingError from None
            connection.secret_encrypted = rotated.decode()
            await uow.integrations.save(connection)
        await uow.commit()
    return len(connections)
