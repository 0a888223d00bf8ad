"""The client's card's cost block: the last full month's cost to serve against what the client
paid, beside the strikes and never mixed into them (DOMAIN.md §7), and what is overdue now."""

from dataclasses import dataclass, field

from skills.core.scope import Scope
from skills.costs.month import last_full_month, month_figures, overdue_now
from skills.costs.text import (
    hours_text,
    money_text,
    month_name,
    no_ratio_text,
    overdue_text,
    ratio_text,
)
from skills.replies import Fact, Facts, Paragraph
from storage.models import Client


@dataclass(frozen=True)
class CostCard:
    """The blocks the card shows, and the figures as data."""

    blocks: list[Facts | Paragraph] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)


async def cost_card(scope: Scope, client: Client) -> CostCard:
    """The card's cost block: nothing when no signal, revenue or overdue invoice is known of
    the client (a card without figures says nothing about costs rather than zeros)."""
    t = scope.t
    month = last_full_month(scope.now, scope.tenant.timezone)
    found = (await month_figures(scope, [client], month))[client.id or 0]
    overdue = (await overdue_now(scope, [client.id or 0])).get(client.id or 0)
    data = {**found.as_data, "overdue_now": overdue.as_data if overdue else None}
    if not (found.has_signals or found.revenue or overdue):
        return CostCard(data=data)
    facts = []
    if found.has_support_signals:
        facts.append(
            Fact(
                t._("Support in {month}", month=month_name(t, month)),
                t._(
                    "{tickets}, {touches}, {hours}",
                    tickets=t.n_("{count} ticket", "{count} tickets", found.tickets_opened),
                    touches=t.n_("{count} touch point", "{count} touch points", found.touches),
                    hours=hours_text(t, found),
                ),
            )
        )
    cost = money_text(t, found.cost, found.cost_currency)
    if cost is not None:
        facts.append(Fact(t._("Cost to serve"), cost))
    revenue = money_text(t, found.revenue, found.revenue_currency)
    if revenue is not None:
        facts.append(Fact(t._("Revenue in {month}", month=month_name(t, month)), revenue))
    if found.ratio is not None:
        facts.append(Fact(t._("Cost against revenue"), ratio_text(t, found.ratio)))
    if overdue is not None:
        facts.append(Fact(t._("Amount overdue now"), overdue_text(t, overdue)))
    blocks: list[Facts | Paragraph] = [Facts(tuple(facts))]
    if found.ratio is None:
        blocks.append(Paragraph(no_ratio_text(t, found)))
    return CostCard(blocks, data)
