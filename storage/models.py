"""The tables. Every row but the tenant's own carries ``tenant_id``; see docs/storage.md."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Numeric, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# Keeps constraint names stable across SQLite and PostgreSQL, so migrations can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class EscalationStatus(StrEnum):
    """Where an escalation stands: open until a manager decides or the client is no longer over
    the threshold (a report voided, strikes expired, the policy changed)."""

    OPEN = "open"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    POLICY_CHANGED = "policy_changed"


class DisputeStatus(StrEnum):
    """An objection to a report's strike: open until a manager keeps or voids the report."""

    OPEN = "open"
    KEPT = "kept"
    VOIDED = "voided"


class DialogStatus(StrEnum):
    """A multi-step dialog: open while the person answers."""

    OPEN = "open"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class OutboxStatus(StrEnum):
    """An outbox message: pending until sent, skipped (nothing left to say) or parked (it kept
    failing, for a person to look at)."""

    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    PARKED = "parked"


# The partial unique indexes' conditions (one open escalation per client, one client per billing
# or help desk id, one open dialog of a kind per person and client).
OPEN_ESCALATION = text(f"status = '{EscalationStatus.OPEN}'")
HAS_BILLING_ID = text("billing_id IS NOT NULL")
HAS_HELPDESK_ID = text("helpdesk_id IS NOT NULL")
OPEN_CLIENT_DIALOG = text(f"status = '{DialogStatus.OPEN}' AND client_id IS NOT NULL")


class Tenant(SQLModel, table=True):
    """A workspace: a Slack team or Grid org, a Teams tenant, or the local shell's tenant."""

    id: str = Field(primary_key=True, max_length=200)
    platform: str = Field(max_length=20)
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    language: str = Field(default="en", max_length=10)
    timezone: str = Field(default="UTC", max_length=64)
    threshold: int = Field(default=2)
    window_days: int = Field(default=180)
    reminder_days: int = Field(default=3)
    non_payment_red_after_days: int = Field(default=60)
    severity_overrides: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    manager_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    # The cost of a support hour and its currency (ISO 4217), for the assessment's value
    # ratio: unset until a manager sets them (migration 0009, docs/assessment.md).
    hourly_cost: Decimal | None = Field(default=None, sa_type=Numeric(10, 2))
    currency: str | None = Field(default=None, max_length=3)
    # Listening in support channels (docs/listening.md).
    business_hours: str = Field(default="09:00-18:00", max_length=11)
    business_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4], sa_type=JSON)
    escalation_people: list[str] = Field(default_factory=list, sa_type=JSON)
    ghosting_days: int = Field(default=3)
    signal_retention_days: int = Field(default=400)
    abuse_extra_terms: list[str] = Field(default_factory=list, sa_type=JSON)
    abuse_allowed: list[str] = Field(default_factory=list, sa_type=JSON)
    # The weekly risk summary: where it goes, and when in the tenant's timezone (0 = Monday).
    summary_channels: list[str] = Field(default_factory=list, sa_type=JSON)
    summary_weekday: int = Field(default=0)
    summary_time: str = Field(default="09:00", max_length=5)


class Client(SQLModel, table=True):
    """A client company. ``state`` is the policy state as of the last recorded event."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "lookup_key"),
        # The billing system's customer and the help desk's organisation are one client each:
        # imports and signals find the client by them (docs/clients.md).
        Index(
            "uq_client_billing_id",
            "tenant_id",
            "billing_id",
            unique=True,
            sqlite_where=HAS_BILLING_ID,
            postgresql_where=HAS_BILLING_ID,
        ),
        Index(
            "uq_client_helpdesk_id",
            "tenant_id",
            "helpdesk_id",
            unique=True,
            sqlite_where=HAS_HELPDESK_ID,
            postgresql_where=HAS_HELPDESK_ID,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=200)
    name: str = Field(max_length=200)
    lookup_key: str = Field(max_length=200)
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    external_org_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    segment: str | None = Field(default=None, max_length=100)
    monthly_revenue: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    currency: str | None = Field(default=None, max_length=3)
    owner_id: str | None = Field(default=None, max_length=200)
    # The book of business (issue "clients as a book of business", docs/clients.md): set by
    # people, in chat or by an import; signals never write them.
    tier: str | None = Field(default=None, max_length=50)
    billing_id: str | None = Field(default=None, max_length=200)
    helpdesk_id: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=2000)
    state: str = Field(default="ok", max_length=20)
    state_changed_at: datetime = Field(sa_type=UTCDateTime)
    strikes_reset_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_decision: str | None = Field(default=None, max_length=20)
    last_decision_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When an assessment last found a zero-tolerance answer or recommended parting ways: it
    # counts as a red strike recorded then.
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)


class Incident(SQLModel, table=True):
    """One report. Append-only: only the void fields are ever written after insert, once."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "idempotency_key"),
        # A client's reports by when they happened, with what the strike rule reads of each and
        # the category, so that counting active strikes and the summary's recurring categories
        # read this index alone (migration 0011, BENCHMARKS.md).
        Index(
            "ix_incident_client_strikes",
            "tenant_id",
            "client_id",
            "occurred_at",
            "severity",
            "recorded_at",
            "voided_at",
            "category",
        ),
        # The weekly summary counts a tenant's reports by when they were recorded.
        Index("ix_incident_tenant_id_recorded_at", "tenant_id", "recorded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id")
    category: str = Field(max_length=40)
    severity: str = Field(max_length=10)
    details: str = Field(max_length=3000)
    days_overdue: int | None = Field(default=None)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    reporter_id: str = Field(max_length=200)
    reporter_name: str = Field(max_length=200)
    idempotency_key: str | None = Field(default=None, max_length=200)
    evidence_link: str | None = Field(default=None, max_length=2000)
    evidence_text: str | None = Field(default=None)
    evidence_author: str | None = Field(default=None, max_length=200)
    evidence_written_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    evidence_hash: str | None = Field(default=None, max_length=64)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by: str | None = Field(default=None, max_length=200)
    void_reason: str | None = Field(default=None, max_length=1000)


class Evidence(SQLModel, table=True):
    """More evidence attached to a report after it was filed; appended, never changed."""

    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    link: str | None = Field(default=None, max_length=2000)
    text: str | None = Field(default=None)
    author: str | None = Field(default=None, max_length=200)
    written_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    content_hash: str = Field(max_length=64)
    idempotency_key: str | None = Field(default=None, max_length=200)
    added_by: str = Field(max_length=200)
    added_at: datetime = Field(sa_type=UTCDateTime)


class Assessment(SQLModel, table=True):
    """A finished assessment, with the bank version it was scored with."""

    __table_args__ = (
        Index(
            "ix_assessment_tenant_id_client_id_finished_at", "tenant_id", "client_id", "finished_at"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id")
    assessor_id: str = Field(max_length=200)
    bank_version: int
    answers: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    risk: int
    areas: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    value_ratio: float | None = Field(default=None)
    zero_tolerance: list[str] = Field(default_factory=list, sa_type=JSON)
    recommendation: str = Field(max_length=20)
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    finished_at: datetime = Field(sa_type=UTCDateTime)


class PlaybookProgress(SQLModel, table=True):
    """A playbook step someone ticked off for a client."""

    __table_args__ = (UniqueConstraint("tenant_id", "client_id", "recommendation", "step"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id")
    recommendation: str = Field(max_length=20)
    step: str = Field(max_length=40)
    done_by: str = Field(max_length=200)
    done_at: datetime = Field(sa_type=UTCDateTime)


class Escalation(SQLModel, table=True):
    """One crossing of the threshold. At most one is open per client (partial unique index)."""

    __table_args__ = (
        Index(
            "uq_escalation_open_per_client",
            "tenant_id",
            "client_id",
            unique=True,
            sqlite_where=OPEN_ESCALATION,
            postgresql_where=OPEN_ESCALATION,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", index=True, max_length=200)
    client_id: int = Field(foreign_key="client.id")
    reason: str = Field(max_length=20)
    trigger_incident_id: int | None = Field(default=None, foreign_key="incident.id")
    status: str = Field(default=EscalationStatus.OPEN, max_length=20)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminders_sent: int = Field(default=0)
    acknowledged_by: str | None = Field(default=None, max_length=200)
    acknowledged_by_name: str | None = Field(default=None, max_length=200)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Decision(SQLModel, table=True):
    """What a manager decided about a client, with the reason."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id", index=True)
    escalation_id: int | None = Field(default=None, foreign_key="escalation.id")
    kind: str = Field(max_length=20)
    reason: str = Field(default="", max_length=1000)
    decided_by: str = Field(max_length=200)
    decided_by_name: str = Field(max_length=200)
    decided_at: datetime = Field(sa_type=UTCDateTime)


class Dispute(SQLModel, table=True):
    """The account owner's objection to a strike; a manager keeps or voids the strike.

    A report can be disputed once (unique per incident): the answer is final, the history keeps it.
    """

    __table_args__ = (UniqueConstraint("tenant_id", "incident_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    incident_id: int = Field(foreign_key="incident.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    reason: str = Field(max_length=1000)
    disputed_by: str = Field(max_length=200)
    disputed_by_name: str = Field(max_length=200)
    disputed_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=DisputeStatus.OPEN, max_length=20)
    resolved_by: str | None = Field(default=None, max_length=200)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """Who did what, including what they were refused."""

    __table_args__ = (
        Index("ix_audit_event_tenant_id_subject", "tenant_id", "subject_type", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: str = Field(max_length=200)
    action: str = Field(max_length=60)
    outcome: str = Field(default="ok", max_length=20)
    subject_type: str = Field(default="", max_length=40)
    subject_id: str = Field(default="", max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class OutboxMessage(SQLModel, table=True):
    """A message to send, written in the same transaction as the change that calls for it."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "dedupe_key"),
        Index("ix_outbox_message_status_due_at", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    dedupe_key: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    recipient_id: str = Field(max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=OutboxStatus.PENDING, max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)
    attempts: int = Field(default=0)
    # Set by each claim: a dispatcher settles a row only while the claim is still its own.
    claim_token: str | None = Field(default=None, max_length=36)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where the platform put the message (a Slack channel and ts), so copies can be updated.
    platform_channel_id: str | None = Field(default=None, max_length=200)
    platform_message_id: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, max_length=2000)


class ChannelLink(SQLModel, table=True):
    """A support channel linked to the client it serves: what Yellowcard hears there counts
    for that client."""

    __table_args__ = (UniqueConstraint("tenant_id", "channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    channel_id: str = Field(max_length=300)
    client_id: int = Field(foreign_key="client.id", index=True)
    linked_by: str = Field(max_length=200)
    linked_at: datetime = Field(sa_type=UTCDateTime)


class ContactSignal(SQLModel, table=True):
    """Counters of one client's contact in one ISO week. Never message text."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "client_id", "week"),
        Index("ix_contactsignal_tenant_id_week", "tenant_id", "week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id")
    week: str = Field(max_length=8)
    client_messages: int = Field(default=0)
    staff_messages: int = Field(default=0)
    after_hours: int = Field(default=0)
    escalation_mentions: int = Field(default=0)
    unanswered: int = Field(default=0)
    flagged: int = Field(default=0)


class OpenQuestion(SQLModel, table=True):
    """A staff question in a linked channel the client has not answered yet (for ghosting).
    Only when it was asked, never what."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    client_id: int = Field(foreign_key="client.id", index=True)
    channel_id: str = Field(max_length=300)
    asked_at: datetime = Field(sa_type=UTCDateTime)


class ProcessedEvent(SQLModel, table=True):
    """A platform event already counted: a retried delivery is counted once."""

    __table_args__ = (UniqueConstraint("tenant_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    event_id: str = Field(max_length=200)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)


class Conversation(SQLModel, table=True):
    """Where the bot can reach a person or a channel on a platform that needs an address to
    start from (a Teams conversation reference), so proactive messages survive restarts.

    ``address`` is ``user:<id>`` for a person's one-to-one chat, ``channel:<id>`` for a channel.
    """

    __table_args__ = (UniqueConstraint("tenant_id", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    address: str = Field(max_length=300)
    reference: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ScheduledRun(SQLModel, table=True):
    """A claim on one run of a scheduled job; the unique key makes a run happen once."""

    __table_args__ = (UniqueConstraint("tenant_id", "job", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    job: str = Field(max_length=40)
    period: str = Field(max_length=40)
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    claimed_by: str = Field(max_length=200)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DialogSession(SQLModel, table=True):
    """A multi-step form in progress, referenced by id from the platform's payloads."""

    __table_args__ = (
        Index("ix_dialog_session_tenant_id_user_id_kind", "tenant_id", "user_id", "kind"),
        # One open dialog of a kind per person and client (parked commands have no client).
        Index(
            "uq_dialog_session_open_per_client",
            "tenant_id",
            "user_id",
            "kind",
            "client_id",
            unique=True,
            sqlite_where=OPEN_CLIENT_DIALOG,
            postgresql_where=OPEN_CLIENT_DIALOG,
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    tenant_id: str = Field(foreign_key="tenant.id", max_length=200)
    user_id: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    client_id: int | None = Field(default=None, foreign_key="client.id")
    step: int = Field(default=0)
    state: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=DialogStatus.OPEN, max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class AcceptedRequest(SQLModel, table=True):
    """A chat request acknowledged to the platform and not yet handled (docs/architecture.md:
    "An acknowledged request is never lost"). ``request_key`` is the platform's id for one
    invocation (a Slack ``trigger_id``), so a replay is recognised; ``body`` is what the
    person sent, cleared once handled."""

    __table_args__ = (
        UniqueConstraint("request_key"),
        Index("ix_acceptedrequest_handled_at_claimed_until", "handled_at", "claimed_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_key: str = Field(max_length=300)
    kind: str = Field(max_length=20)
    team_id: str | None = Field(default=None, max_length=200)
    enterprise_id: str | None = Field(default=None, max_length=200)
    org_wide: bool = Field(default=False)
    body: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    accepted_at: datetime = Field(sa_type=UTCDateTime)
    attempts: int = Field(default=1)
    # The process handling it holds it until then; past it, another takes it over.
    claimed_until: datetime = Field(sa_type=UTCDateTime)
    claim_token: str = Field(max_length=36)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PersonPreference(SQLModel, table=True):
    """What one person chose for themselves: the language Yellowcard speaks to them in,
    when it is not their Slack or Teams language (``/client settings my-language``)."""

    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, max_length=200)
    user_id: str = Field(primary_key=True, max_length=200)
    language: str = Field(max_length=20)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Welcome(SQLModel, table=True):
    """A person Yellowcard has welcomed (the message saying who manages it and what to do
    first), so that each person is welcomed once, whatever the outbox keeps."""

    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, max_length=200)
    user_id: str = Field(primary_key=True, max_length=200)
    welcomed_at: datetime = Field(sa_type=UTCDateTime)
