"""Typed commands: what a person asked for, as the surfaces hand it to the skills.

Fields hold the person's raw text; the skills validate it, so every surface gets the same
errors in the same words.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportIncident:
    """``/report-client [client] [category] [details]``: file a report about a client."""

    client: str | None = None
    category: str | None = None
    details: str | None = None
    severity: str | None = None
    occurred_at: str | None = None
    days_overdue: str | None = None
    evidence_link: str | None = None
    evidence_text: str | None = None
    evidence_author: str | None = None
    evidence_written_at: str | None = None
    create_client: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ShowClient:
    """``/client <client>``: the client's card."""

    client: str


@dataclass(frozen=True)
class ShowHistory:
    """``/client history <client> [page]``: the client's timeline."""

    client: str
    page: int = 1


@dataclass(frozen=True)
class ShowBoard:
    """``/client list [page]``: the risk board."""

    page: int = 1


@dataclass(frozen=True)
class VoidIncident:
    """``/client void <incident-id> <reason>``: managers withdraw a report."""

    incident_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RecordDecision:
    """``/client decide <client> [decision] [reason]``: managers record a decision."""

    client: str | None = None
    decision: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ShowSettings:
    """``/client settings``: the tenant's policy and managers."""


@dataclass(frozen=True)
class ChangeSetting:
    """``/client settings <name> <value>``: managers change one setting."""

    name: str
    value: str


@dataclass(frozen=True)
class ExportClient:
    """``/client export <client>``: managers get the client's whole record as JSON."""

    client: str


@dataclass(frozen=True)
class ShowHelp:
    """``/client help``: what the bot understands."""


@dataclass(frozen=True)
class UnknownCommand:
    """Text that is not one of Yellowcard's commands."""

    text: str


@dataclass(frozen=True)
class NotYetAvailable:
    """A command of the contract that this version does not serve yet."""

    command: str


Command = (
    ReportIncident
    | ShowClient
    | ShowHistory
    | ShowBoard
    | VoidIncident
    | RecordDecision
    | ShowSettings
    | ChangeSetting
    | ExportClient
    | ShowHelp
    | UnknownCommand
    | NotYetAvailable
)
COMMAND_TYPES: tuple[type[Command], ...] = (
    ReportIncident,
    ShowClient,
    ShowHistory,
    ShowBoard,
    VoidIncident,
    RecordDecision,
    ShowSettings,
    ChangeSetting,
    ExportClient,
    ShowHelp,
    UnknownCommand,
    NotYetAvailable,
)
