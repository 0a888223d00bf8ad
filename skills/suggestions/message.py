"""A suggested report in words: the private message with its evidence and its two buttons
(file the prefilled report, or "Not now"), and the card's "suggested: …" lines. Drawn from the
stored evidence when sent, in the reader's language."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from skills.clients.lookup import CLIENT_ID_PREFIX
from skills.commands import DismissSuggestion, ReportIncident
from skills.core.context import Actor, Services
from skills.core.scope import Scope, open_scope
from skills.costs.month import Overdue, calendar_month
from skills.costs.text import month_name, overdue_text
from skills.replies import (
    Actions,
    Button,
    ButtonStyle,
    Fact,
    Facts,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
)
from skills.suggestions.rules import Rule
from skills.text.i18n import Translator
from storage.integration_models import Suggestion
from storage.models import Client, OutboxMessage

OPEN = "open"
# A report filed from a suggestion carries this key: one report per suggestion, however many
# times or by however many of its recipients the button is pressed.
KEY_PREFIX = "suggestion:"


def report_key(suggestion_id: int) -> str:
    """The idempotency key of the report filed from a suggestion."""
    return f"{KEY_PREFIX}{suggestion_id}"


async def suggestion_message(
    services: Services, message: OutboxMessage, reader: Actor
) -> Reply | None:
    """The suggestion an outbox row is about, as ``reader`` sees it now; None when it was
    decided (or its client forgotten) before the message went out."""
    async with open_scope(services, reader) as scope:
        suggestion = await scope.uow.suggestions.get(
            message.tenant_id, int(message.payload["suggestion_id"])
        )
        if suggestion is None or suggestion.status != OPEN:
            return None
        client = await scope.uow.clients.get(scope.tenant.id, suggestion.client_id)
        if client is None:
            return None
        return suggestion_reply(scope, suggestion, client)


def suggestion_reply(scope: Scope, suggestion: Suggestion, client: Client) -> Reply:
    """The message: what the suggestion rests on, the prefilled report and "Not now"."""
    t = scope.t
    evidence = suggestion.evidence
    if suggestion.category == Rule.NON_PAYMENT:
        heading = t._("Suggested report: {client} has not paid an invoice", client=client.name)
        facts = _unpaid_facts(scope, evidence)
        details = t._(
            "Invoice {invoice} is unpaid and overdue: {overdue}.",
            invoice=evidence["invoice"],
            overdue=overdue_text(t, _overdue(evidence)),
        )
        days_overdue: str | None = str(evidence["days"])
    else:
        heading = t._(
            "Suggested report: {client} takes far more time than it pays for", client=client.name
        )
        facts = _heavy_facts(t, evidence)
        details = t._(
            "{minutes} minutes of support in {month} for {revenue}: {per} minutes per {amount} "
            "paid, against a median of {median} over {count} clients.",
            minutes=t.number(int(evidence["minutes"])),
            month=_month(t, evidence),
            revenue=t.money(Decimal(evidence["revenue"]), evidence["currency"]),
            per=t.number(Decimal(evidence["minutes_per"])),
            amount=t.money(Decimal(evidence["per"]), evidence["currency"]),
            median=t.number(Decimal(evidence["median"])),
            count=t.number(int(evidence["clients"])),
        )
        days_overdue = None
    report = ReportIncident(
        client=f"{CLIENT_ID_PREFIX}{client.id}",
        category=suggestion.category,
        details=details,
        days_overdue=days_overdue,
        idempotency_key=report_key(suggestion.id or 0),
    )
    buttons = (
        Button(t._("File this report"), report, ButtonStyle.PRIMARY),
        Button(t._("Not now"), DismissSuggestion(str(suggestion.id))),
    )
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(heading),
            Facts(tuple(facts)),
            Paragraph(
                t._(
                    "Nothing is filed unless you file it: one click files this report as "
                    "written above, or set it aside with “Not now”."
                )
            ),
            Actions(buttons),
        ),
        data={
            "suggestion_id": suggestion.id,
            "client_id": client.id,
            "category": suggestion.category,
            "key": suggestion.key,
            "status": suggestion.status,
            "evidence": dict(evidence),
        },
    )


def suggested_lines(scope: Scope, suggestions: list[Suggestion]) -> list[Paragraph]:
    """The card's lines, one per open suggestion: "Suggested: …"."""
    t = scope.t
    lines = []
    for suggestion in suggestions:
        evidence = suggestion.evidence
        if suggestion.category == Rule.NON_PAYMENT:
            what = t._(
                "Suggested: a non-payment report (invoice {invoice}, {overdue}).",
                invoice=evidence["invoice"],
                overdue=overdue_text(t, _overdue(evidence)),
            )
        else:
            what = t._(
                "Suggested: a report for taking far more time than paid for ({month}).",
                month=_month(t, evidence),
            )
        lines.append(Paragraph(what))
    return lines


@dataclass(frozen=True)
class SuggestedCard:
    """The card's lines about open suggestions, and the suggestions as data."""

    blocks: list[Paragraph] = field(default_factory=list)
    data: list[dict[str, Any]] = field(default_factory=list)


async def suggested_card(scope: Scope, client: Client) -> SuggestedCard:
    """The client's open suggestions, as the card shows them."""
    found = await scope.uow.suggestions.open_for(scope.tenant.id, client.id or 0)
    data = [
        {"id": item.id, "category": item.category, "key": item.key, "evidence": item.evidence}
        for item in found
    ]
    return SuggestedCard(suggested_lines(scope, found), data)


def _unpaid_facts(scope: Scope, evidence: dict[str, Any]) -> list[Fact]:
    t = scope.t
    due = datetime.fromisoformat(evidence["due_at"])
    return [
        Fact(t._("Invoice"), str(evidence["invoice"])),
        Fact(t._("Overdue"), overdue_text(t, _overdue(evidence))),
        Fact(t._("Due on"), t.date(due, scope.tenant.timezone)),
        Fact(
            t._("Red after"),
            t.n_("{count} day", "{count} days", int(evidence["non_payment_days"])),
        ),
    ]


def _heavy_facts(t: Translator, evidence: dict[str, Any]) -> list[Fact]:
    currency = evidence["currency"]
    per = t.money(Decimal(evidence["per"]), currency)
    return [
        Fact(t._("Month"), _month(t, evidence)),
        Fact(t._("Support minutes"), t.number(int(evidence["minutes"]))),
        Fact(t._("Revenue"), t.money(Decimal(evidence["revenue"]), currency)),
        Fact(
            t._("Minutes per {amount} paid", amount=per),
            t._(
                "{value} (median of {count} clients: {median})",
                value=t.number(Decimal(evidence["minutes_per"])),
                count=t.number(int(evidence["clients"])),
                median=t.number(Decimal(evidence["median"])),
            ),
        ),
    ]


def _overdue(evidence: dict[str, Any]) -> Overdue:
    amounts = tuple(
        sorted((currency, Decimal(amount)) for currency, amount in evidence["amounts"].items())
    )
    return Overdue(amounts, int(evidence["days"]))


def _month(t: Translator, evidence: dict[str, Any]) -> str:
    year, month = (int(part) for part in str(evidence["month"]).split("-"))
    return month_name(t, calendar_month(datetime(year, month, 15, tzinfo=UTC), "UTC"))
