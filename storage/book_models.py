"""The book of business: what other systems tell Yellowcard about clients, and the tokens they
use to tell it (docs/api.md, docs/clients.md).

Counts, minutes and amounts only: a signal never holds a ticket's or an invoice's text.
"""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

import storage.models  # noqa: F401  (sets the naming convention the tables are built with)
from storage.types import UTCDateTime

ACTIVE_TOKEN = text("revoked_at IS NULL")


class SignalKind(StrEnum):
    """What a signal says happened (``Signal.kind``; docs/api.md)."""

    TICKET_OPENED = "ticket_opened"
    TICKET_SOLVED = "ticket_solved"
    TOUCH = "touch"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_PAID = "invoice_paid"
    INVOICE_OVERDUE = "invoice_overdue"


# The kinds that say how much support a client took: they carry minutes.
SUPPORT_KINDS = frozenset({SignalKind.TICKET_OPENED, SignalKind.TICKET_SOLVED, SignalKind.TOUCH})


class ApiToken(SQLModel, table=True):
    """A bearer token of one tenant for the signals API. Only its SHA-256 is kept: the token
    itself is shown once, when it is made."""

    __table_args__ = (
        # One active token per name and tenant; a revoked name can be used again.
        Index(
            "uq_apitoken_active_name",
            "tenant_id",
            "name",
            unique=True,
            sqlite_where=ACTIVE_TOKEN,
            postgresql_where=ACTIVE_TOKEN,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=200)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: str | None = Field(default=None, max_length=200)


class Signal(SQLModel, table=True):
    """One thing another system said about a client: a ticket opened or solved, a touch point
    with its minutes, an invoice issued, paid or overdue with its amount. Kept once per tenant,
    source and the source's id for it."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "source", "external_id"),
        Index("ix_signal_client_occurred", "tenant_id", "client_id", "occurred_at"),
        Index("ix_signal_tenant_occurred", "tenant_id", "occurred_at"),
        # An invoice's signals: a payment settling what was overdue, a void removing them
        # (migration 0014).
        Index("ix_signal_invoice", "tenant_id", "invoice_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    source: str = Field(max_length=100)
    external_id: str = Field(max_length=200)
    client_id: int = Field(foreign_key="client.id")
    kind: str = Field(max_length=30)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    # Support minutes (tickets and touches).
    minutes: int | None = Field(default=None)
    # Invoices: the amount in its currency (ISO 4217), when it falls due, and the invoice it is
    # about, so that a payment settles what was overdue.
    amount: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str | None = Field(default=None, max_length=3)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invoice_id: str | None = Field(default=None, max_length=200)
    received_at: datetime = Field(sa_type=UTCDateTime)
