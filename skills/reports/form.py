"""The report form: its fields, and turning the person's raw text into checked values."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from skills.commands import ReportIncident
from skills.core.scope import Scope
from skills.replies import (
    Choice,
    ChoiceField,
    ClientPickerField,
    DateTimeField,
    Form,
    FormField,
    Reply,
    ReplyKind,
    TextField,
)
from skills.reports.categories import Category, categories, find_category
from skills.reports.evidence import CheckedEvidence, check_evidence, evidence_fields
from skills.strikes.labels import severity_label
from skills.strikes.policy import Severity
from skills.text.i18n import Translator
from skills.text.names import normalize
from skills.text.numbers import whole_number
from skills.text.times import moment_error, parse_moment

MAX_DETAILS = 3000
MAX_DAYS_OVERDUE = 3650
# Clocks drift between a person's device and the server; a report "from the future" by a few
# minutes is a typo-free report, not an error.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class CheckedReport:
    """A report whose every field was checked."""

    client: str
    category: Category
    details: str
    severity: Severity | None
    occurred_at: datetime | None
    days_overdue: int | None
    evidence: CheckedEvidence


def check_report(
    t: Translator, command: ReportIncident, *, now: datetime, timezone: str
) -> tuple[CheckedReport | None, dict[str, str]]:
    """The checked report, or None with an error per field that has a wrong value.

    A missing required field yields None without an error: the form simply asks for it. Each
    field has its own check, so a form can be checked as it is filled in
    (``check_report_form``), with the same rules and words as the report filed at the end.
    Days overdue are read only for a category they matter to (``asks_days_overdue``).
    """
    errors: dict[str, str] = {}
    category = _category(t, command.category, errors)
    details = _details(t, command.details, errors)
    severity = _severity(t, command.severity, errors)
    occurred_at = _occurred_at(t, command.occurred_at, now=now, timezone=timezone, errors=errors)
    days_overdue = (
        _days_overdue(t, command.days_overdue, errors) if asks_days_overdue(category) else None
    )
    evidence = check_evidence(
        t,
        link=command.evidence_link,
        text=command.evidence_text,
        author=command.evidence_author,
        written_at=command.evidence_written_at,
        timezone=timezone,
        errors=errors,
    )
    client = (command.client or "").strip()
    if errors or not client or category is None or not details:
        return None, errors
    return (
        CheckedReport(
            client=client,
            category=category,
            details=details,
            severity=severity,
            occurred_at=occurred_at,
            days_overdue=days_overdue,
            evidence=evidence,
        ),
        errors,
    )


async def check_report_form(scope: Scope, command: ReportIncident) -> Reply:
    """The report form for what has been given so far, with an error per wrong value and only
    the fields that matter for it; nothing is filed. The shell asks this after each answer,
    and a Slack modal is redrawn with it when the category changes."""
    _checked, errors = check_report(scope.t, command, now=scope.now, timezone=scope.tenant.timezone)
    return report_form(scope.t, command, errors)


def asks_days_overdue(category: Category | None) -> bool:
    """Whether the days an invoice is overdue matter: only for a category that turns red when
    an invoice is overdue long enough (unpaid invoices), and maybe while the category is not
    known yet."""
    return category is None or category.red_when_overdue


def _category(t: Translator, text: str | None, errors: dict[str, str]) -> Category | None:
    if not text:
        return None
    category = find_category(text)
    if category is None:
        valid = t.one_of(
            t._("{key} ({category})", key=entry.key, category=entry.label(t))
            for entry in categories()
        )
        errors["category"] = t._(
            "{given} is not a category. Use one of: {valid}.",
            given=t.quote(text),
            valid=valid,
        )
    return category


def _details(t: Translator, text: str | None, errors: dict[str, str]) -> str:
    details = (text or "").strip()
    if len(details) > MAX_DETAILS:
        errors["details"] = t.n_(
            "What happened can be at most {count} character; this has {length}.",
            "What happened can be at most {count} characters; this has {length}.",
            MAX_DETAILS,
            length=t.number(len(details)),
        )
    return details


def _severity(t: Translator, text: str | None, errors: dict[str, str]) -> Severity | None:
    if not text:
        return None
    key = normalize(text)
    severity = next((entry for entry in Severity if key == entry.value), None)
    if severity is None:
        errors["severity"] = t._("Severity is one of: note, yellow, red.")
    return severity


def _occurred_at(
    t: Translator, text: str | None, *, now: datetime, timezone: str, errors: dict[str, str]
) -> datetime | None:
    occurred_at = parse_moment(text, timezone)
    if text and occurred_at is None:
        errors["occurred_at"] = moment_error(t)
    elif occurred_at is not None and occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = t._("That date is in the future.")
    return occurred_at


def _days_overdue(t: Translator, text: str | None, errors: dict[str, str]) -> int | None:
    days_overdue = whole_number(text, highest=MAX_DAYS_OVERDUE)
    if text and days_overdue is None:
        # Plain digits, not t.number: whole_number reads digits only ("3.650" is refused).
        errors["days_overdue"] = t._(
            "Days overdue is a whole number from 0 to {highest}.", highest=MAX_DAYS_OVERDUE
        )
    return days_overdue


def report_form(t: Translator, command: ReportIncident, errors: Mapping[str, str]) -> Reply:
    """The form asking for what the report still lacks, prefilled with what was given.

    Days overdue are asked only while they can matter: for unpaid invoices, or until the
    category is known (they depend on it, so surfaces ask them after it).
    """
    category = find_category(command.category) if command.category else None
    category_choices = tuple(
        Choice(entry.key, entry.label(t), entry.description(t)) for entry in categories()
    )
    severity_choices = tuple(Choice(sev.value, severity_label(t, sev)) for sev in Severity)
    fields: list[FormField] = [
        ClientPickerField("client", t._("Client"), command.client),
        ChoiceField(
            "category",
            t._("What kind of problem"),
            category_choices,
            # A category named by its label (in any language) is shown as the choice it is.
            category.key if category else command.category,
        ),
        TextField(
            "details",
            t._("What happened"),
            command.details,
            multiline=True,
            max_length=MAX_DETAILS,
            hint=t._("Facts only: what was said or done, and the effect on the team."),
        ),
        ChoiceField(
            "severity",
            t._("Severity"),
            severity_choices,
            command.severity,
            required=False,
        ),
        DateTimeField(
            "occurred_at",
            t._("When it happened"),
            command.occurred_at,
            hint=t._("Leave empty if it happened just now."),
        ),
    ]
    if asks_days_overdue(category):
        fields.append(
            TextField(
                "days_overdue",
                t._("Days the invoice is overdue"),
                command.days_overdue,
                required=False,
                hint=t._("Only for unpaid invoices."),
                depends_on="category",
            )
        )
    fields += evidence_fields(
        t,
        command.evidence_link,
        command.evidence_text,
        command.evidence_author,
        command.evidence_written_at,
    )
    form = Form(
        title=t._("Report a client"),
        fields=tuple(fields),
        submit_label=t._("File the report"),
        command=command,
        errors=dict(errors),
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "report", "errors": errors})
