"""The weekly summary's "clients costing more than they pay": the last full month before the
summary's end, each with its ratio the month before, so that a trend shows."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from skills.core.scope import Scope
from skills.costs.month import Month, calendar_month, figures, month_figures
from skills.costs.text import month_name, times_text
from skills.replies import Paragraph
from skills.text.i18n import Translator

COSTLIEST = 10


@dataclass(frozen=True)
class CostTrend:
    """A client whose cost to serve was above its revenue, and its ratio the month before
    (None when that month has none)."""

    client_id: int
    name: str
    ratio: Decimal
    before: Decimal | None


@dataclass(frozen=True)
class CostingMore:
    """The month, and its clients costing more than they pay, the highest ratio first."""

    month: Month
    clients: list[CostTrend] = field(default_factory=list)
    # How many there are in all: ``clients`` holds the first ``COSTLIEST``.
    count: int = 0


async def costing_more(scope: Scope, end: datetime) -> CostingMore:
    """The clients costing more than they paid in the last full month before ``end``; only
    clients with signals that month can have a cost, so only they are read."""
    tz = scope.tenant.timezone
    month, previous = calendar_month(end, tz, back=1), calendar_month(end, tz, back=2)
    tenant_id, costs = scope.tenant.id, scope.uow.client_costs
    totals = await costs.month_totals(tenant_id, month.start, month.end)
    clients = await costs.clients_with_signals(tenant_id, month.start, month.end)
    # The rule on the sums already read: the summary shows no overdue invoices.
    found = {
        client.id or 0: figures(scope.tenant, client, month, totals.get(client.id or 0), None)
        for client in clients
    }
    costly = sorted(
        (client for client in clients if found[client.id or 0].costs_more_than_it_pays),
        key=lambda client: (-(found[client.id or 0].ratio or 0), client.name),
    )
    shown = costly[:COSTLIEST]
    before = await month_figures(scope, shown, previous)
    trends = [
        CostTrend(
            client.id or 0,
            client.name,
            found[client.id or 0].ratio or Decimal(0),
            before[client.id or 0].ratio,
        )
        for client in shown
    ]
    return CostingMore(month, trends, len(costly))


def costing_more_blocks(t: Translator, costing: CostingMore) -> list[Paragraph]:
    """The summary's paragraph, or nothing when no client cost more than it paid."""
    if not costing.clients:
        return []
    lines = [_line(t, trend) for trend in costing.clients]
    hidden = costing.count - len(costing.clients)
    if hidden > 0:
        lines.append(t.n_("…and {count} more", "…and {count} more", hidden))
    title = t._(
        "Clients costing more than they pay in {month}:", month=month_name(t, costing.month)
    )
    return [Paragraph(title + "\n" + "\n".join(lines))]


def _line(t: Translator, trend: CostTrend) -> str:
    if trend.before is None:
        return t._(
            "{client}: {ratio} (no figures the month before)",
            client=trend.name,
            ratio=times_text(t, trend.ratio),
        )
    arrow = "↑" if trend.ratio > trend.before else "↓" if trend.ratio < trend.before else "→"
    return t._(
        "{client}: {ratio} {trend} (the month before: {before})",
        client=trend.name,
        ratio=times_text(t, trend.ratio),
        trend=arrow,
        before=times_text(t, trend.before),
    )


def costing_more_data(costing: CostingMore) -> dict[str, object]:
    """The summary's data: the month and each client's ratios."""
    return {
        "month": costing.month.key,
        "count": costing.count,
        "clients": [
            {
                "client_id": trend.client_id,
                "cost_to_revenue": float(trend.ratio),
                "month_before": None if trend.before is None else float(trend.before),
            }
            for trend in costing.clients
        ],
    }
