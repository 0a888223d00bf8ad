"""Typed commands: what a person asked for, as the surfaces hand it to the skills.

Fields hold the person's raw text; the skills validate it, so every surface gets the same
errors in the same words.
"""

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar


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
    """``/client <client>``: the client's card. ``meant`` is what the words would say with
    their first word read as the subcommand it nearly is (``hisotry Globex`` →
    ``history Globex``), offered when no client has the name."""

    client: str
    meant: str | None = None


@dataclass(frozen=True)
class ShowHistory:
    """``/client history <client> [page]``: the client's timeline."""

    client: str
    page: int = 1


@dataclass(frozen=True)
class ShowReport:
    """``/client report <report> [page]``: one report in full, with all of its evidence."""

    incident_id: str
    page: int = 1


@dataclass(frozen=True)
class ShowBoard:
    """``/client list [cost] [page]``: the risk board; by cost against revenue with ``cost``
    (``by`` is ``risk`` or ``cost``)."""

    page: int = 1
    by: str = "risk"


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
    # Set by the buttons of a manager ping: the decision answers that escalation, and a second
    # manager's click after the first decision is told who decided instead of deciding again.
    escalation_id: str | None = None


@dataclass(frozen=True)
class AcknowledgeEscalation:
    """A manager says "I have seen it" on a ping; every manager's copy shows who."""

    escalation_id: str


@dataclass(frozen=True)
class DisputeStrike:
    """``/client dispute <report-id> <reason>``: the account owner objects to a strike."""

    incident_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ResolveDispute:
    """A manager answers a dispute: ``keep`` the strike or ``void`` it."""

    dispute_id: str
    outcome: str


@dataclass(frozen=True)
class ChangeOwner:
    """``/client owner <client> <person>``: managers give the account to someone else."""

    client: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class LinkChannel:
    """``/client link <client>`` in a channel: what is heard there counts for the client.

    The surface fills ``channel`` (and ``organisations``, the other organisations' ids of a
    shared channel, comma-separated)."""

    client: str | None = None
    channel: str | None = None
    organisations: str | None = None


@dataclass(frozen=True)
class UnlinkChannel:
    """``/client unlink`` in a channel: stop counting it for its client."""

    channel: str | None = None


@dataclass(frozen=True)
class ForgetClient:
    """``/client forget <client>``: managers delete a client's data, after confirming."""

    client: str
    confirmed: bool = False


@dataclass(frozen=True)
class SendSummary:
    """``/client summary [preview]``: the weekly risk summary now, to the chosen channels or
    (``preview``) privately to the manager who asked."""

    preview: bool = False


@dataclass(frozen=True)
class ShowSettings:
    """``/client settings``: the tenant's policy and managers."""


@dataclass(frozen=True)
class ChangeSetting:
    """``/client settings <name> <value>``: managers change one setting."""

    name: str
    value: str
    # Threshold and window changes show their effect first and are saved when confirmed.
    confirmed: bool = False


@dataclass(frozen=True)
class ChoosePersonalLanguage:
    """``/client settings my-language [language|auto]``: anyone on the staff chooses the
    language Yellowcard speaks to them in (``auto``: their Slack or Teams language)."""

    language: str = ""


@dataclass(frozen=True)
class ManageApiTokens:
    """``/client settings api-token create <name> | list | revoke <name>``: managers make, list
    and revoke the signals API's tokens."""

    action: str = ""
    name: str = ""


@dataclass(frozen=True)
class ConnectWebhook:
    """``/client settings connect stripe|zendesk <signing secret>``: managers connect a
    system's webhooks. The secret is a credential: never in a repr, a log or a reply."""

    kind: str = ""
    secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class ExportClient:
    """``/client export <client>``: managers get the client's whole record as JSON."""

    client: str


@dataclass(frozen=True)
class AnswerFileOffer:
    """A person's answer to a file offered to them first (Teams asks before it takes a file):
    ``offer`` names what was offered; ``destination`` is where the platform says to put the file
    when they allowed it (its own upload details, as pairs)."""

    offer: str
    accepted: bool = False
    destination: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ShowWaiting:
    """``/client waiting [page]``: managers see what waits on them, open escalations and
    open disputes, each with the button that answers it."""

    page: int = 1


@dataclass(frozen=True)
class AddClient:
    """``/client add <name> [field=value …]``: managers add a client with its record.

    ``fields`` holds the ``key=value`` pairs as typed (the keys of
    ``skills.clients.record_fields``); a form's other fields are collected there too."""

    COLLECTS_OTHER_FIELDS: ClassVar[str] = "fields"

    name: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EditClient:
    """``/client edit <client> field=value …``: managers change a client's record (``name=``
    renames it); ``fields`` as ``AddClient``'s."""

    COLLECTS_OTHER_FIELDS: ClassVar[str] = "fields"

    client: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MatchAccount:
    """``/client match <source> <external-id> <client>``: managers tell which client an
    account of Stripe (``source`` ``stripe``, a billing id) or Zendesk (``zendesk``, a help-desk
    id) is; what it sent meanwhile becomes the client's."""

    source: str | None = None
    external_id: str | None = None
    client: str | None = None


@dataclass(frozen=True)
class ShowUnmatched:
    """``/client unmatched [page]``: managers see the accounts waiting to be matched."""

    page: int = 1


@dataclass(frozen=True)
class ShowHelp:
    """``/client help``: what the bot understands."""


@dataclass(frozen=True)
class Assess:
    """``/client assess <client>``: start, or carry on with, the guided assessment."""

    client: str | None = None


@dataclass(frozen=True)
class AssessmentStep:
    """A step of the assessment submitted: its answers, and where to go next.

    ``move`` is next (the default), back, save (finish later) or cancel.
    """

    COLLECTS_OTHER_FIELDS: ClassVar[str] = "answers"

    dialog_id: str
    step: int | None = None
    move: str | None = None
    answers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ShowAssessment:
    """``/client assessment <client>``: the latest result with its playbook."""

    client: str


@dataclass(frozen=True)
class TickPlaybookStep:
    """Mark a playbook step done (or not done again) for a client."""

    client: str
    step: str


@dataclass(frozen=True)
class UndoReport:
    """The reporter takes back a report within minutes of filing it (an "Undo" button)."""

    incident_id: str


@dataclass(frozen=True)
class AddEvidence:
    """Attach more evidence to a report; the report itself never changes."""

    incident_id: str
    evidence_link: str | None = None
    evidence_text: str | None = None
    evidence_author: str | None = None
    evidence_written_at: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class DismissSuggestion:
    """ "Not now" on a suggested report: the person it was put to sets it aside."""

    suggestion_id: str


@dataclass(frozen=True)
class ShowHome:
    """The person's overview: their recent reports, the board, decisions waiting."""


@dataclass(frozen=True)
class Expired:
    """A form or button whose parked command is gone (expired, or not this person's)."""

    what: str  # "form" or "button"


@dataclass(frozen=True)
class UnknownCommand:
    """Text that is not one of Yellowcard's commands."""

    text: str


Command = (
    ReportIncident
    | ShowClient
    | ShowHistory
    | ShowReport
    | ShowBoard
    | AcknowledgeEscalation
    | DisputeStrike
    | ResolveDispute
    | ChangeOwner
    | AddClient
    | EditClient
    | MatchAccount
    | ShowUnmatched
    | SendSummary
    | LinkChannel
    | UnlinkChannel
    | ForgetClient
    | VoidIncident
    | RecordDecision
    | ShowSettings
    | ChangeSetting
    | ChoosePersonalLanguage
    | ManageApiTokens
    | ConnectWebhook
    | ExportClient
    | AnswerFileOffer
    | ShowWaiting
    | ShowHelp
    | Assess
    | AssessmentStep
    | ShowAssessment
    | TickPlaybookStep
    | UndoReport
    | AddEvidence
    | DismissSuggestion
    | ShowHome
    | Expired
    | UnknownCommand
)
# Every command type, read off the union so that a new command cannot be left out.
COMMAND_TYPES: tuple[type[Command], ...] = typing.get_args(Command)
_BY_NAME = {command_type.__name__: command_type for command_type in COMMAND_TYPES}


def command_to_dict(command: Command) -> dict[str, Any]:
    """The command as JSON-ready data, tagged with its type (for button values, dialogs)."""
    return {"type": type(command).__name__, **dataclasses.asdict(command)}


def command_from_dict(data: Mapping[str, Any]) -> Command:
    """The command ``command_to_dict`` wrote; ValueError for anything else.

    The data may come back from a platform (a button's value), so unknown types and fields are
    refused rather than trusted.
    """
    command_type = _BY_NAME.get(str(data.get("type")))
    if command_type is None:
        raise ValueError(f"not a command: {data.get('type')!r}")
    fields = {field.name: field.type for field in dataclasses.fields(command_type)}
    values = {key: value for key, value in data.items() if key != "type"}
    if set(values) - set(fields):
        raise ValueError(f"unknown fields for {command_type.__name__}: {set(values) - set(fields)}")
    for key, value in list(values.items()):
        if typing.get_origin(fields[key]) is tuple:  # pairs, as JSON lists of two strings
            values[key] = value = _pairs(value)
            continue
        allowed = typing.get_args(fields[key]) or (fields[key],)
        # Exact types: a bool is an int to isinstance, and neither belongs in a text field.
        if type(value) not in allowed:
            raise ValueError(f"{command_type.__name__}.{key} has the wrong type")
    return command_type(**values)


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list | tuple):
        raise ValueError("expected a list of pairs")
    pairs = []
    for pair in value:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise ValueError("expected a pair")
        first, second = pair
        if type(first) is not str or type(second) is not str:
            raise ValueError("expected a pair of texts")
        pairs.append((first, second))
    return tuple(pairs)
