"""Connections to the systems a team already runs (Stripe, Zendesk), what they said about
accounts nobody has matched to a client yet, and the reports Yellowcard suggests from it
(docs/integrations.md).

Counts, minutes, amounts and ids only: never a ticket's or an invoice's text.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

import storage.models  # noqa: F401  (sets the naming convention the tables are built with)
from storage.types import UTCDateTime


class Connection(SQLModel, table=True):
    """One webhook endpoint of one tenant: ``POST /webhooks/<kind>/<id>``. ``id`` is random
    and unguessable; the signing secret is kept encrypted (it is the key that verifies each
    request, so it cannot be a one-way hash)."""

    id: str = Field(primary_key=True, max_length=64)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=200)
    kind: str = Field(max_length=20)
    secret_encrypted: str = Field(max_length=1000)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)
    last_event_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: str | None = Field(default=None, max_length=200)


class UnmatchedAccount(SQLModel, table=True):
    """A customer (Stripe) or organisation (Zendesk) that no client has the id of: listed once
    for a manager to match; what it sent meanwhile waits in ``HeldSignal``."""

    __table_args__ = (UniqueConstraint("tenant_id", "source", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    # "stripe" or "zendesk": which client column (billing_id, helpdesk_id) it would fill.
    source: str = Field(max_length=20)
    external_id: str = Field(max_length=200)
    # The name the other system gives it, to help a manager match it.
    display_name: str | None = Field(default=None, max_length=200)
    first_seen_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    events: int = Field(default=0)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    matched_client_id: int | None = Field(default=None, foreign_key="client.id")
    matched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    matched_by: str | None = Field(default=None, max_length=200)


class HeldSignal(SQLModel, table=True):
    """A signal about an unmatched account, kept (not dropped) until a manager matches the
    account to a client; then it becomes a ``Signal`` of that client. The same columns as a
    signal, with the account in place of the client."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "source", "external_id"),
        Index("ix_heldsignal_invoice", "tenant_id", "invoice_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    account_id: int = Field(foreign_key="unmatchedaccount.id", index=True)
    source: str = Field(max_length=100)
    external_id: str = Field(max_length=200)
    kind: str = Field(max_length=30)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    minutes: int | None = Field(default=None)
    amount: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str | None = Field(default=None, max_length=3)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invoice_id: str | None = Field(default=None, max_length=200)
    received_at: datetime = Field(sa_type=UTCDateTime)


class Suggestion(SQLModel, table=True):
    """A report Yellowcard suggests to a person (never files): an invoice overdue past the
    tenant's non-payment days, or contact far above what the client pays for. Once per
    ``key`` (the invoice, or the month) per client and category."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "client_id", "category", "key"),
        Index("ix_suggestion_client", "tenant_id", "client_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id")
    category: str = Field(max_length=40)
    key: str = Field(max_length=200)
    # "open", then "reported" (a person filed it) or "dismissed".
    status: str = Field(default="open", max_length=20)
    # What the suggestion rests on: amounts, days, counts and the tenant's median; no text.
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    recipients: list[str] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=200)
    incident_id: int | None = Field(default=None, foreign_key="incident.id")
