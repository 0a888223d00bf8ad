"""The board's cost column and its cost order (``/client list cost``): the last full month's
cost against revenue, the page's clients only, ordered and paged by the database."""

from collections.abc import Sequence
from dataclasses import dataclass

from skills.core.scope import Scope
from skills.costs.month import MonthFigures, last_full_month, month_figures
from skills.costs.text import month_name, no_hourly_cost_text, ratio_text
from skills.settings.hourly_cost import is_set
from skills.text.command_parser import BY_COST
from skills.text.i18n import Translator
from storage.models import Client
from storage.repositories.client_costs import CostRanking, cost_ranking

BY_RISK = "risk"


def board_ranking(scope: Scope, by: str) -> CostRanking | None:
    """The order of the board's cost sort (the last full month), or None for the risk order."""
    if by != BY_COST:
        return None
    month = last_full_month(scope.now, scope.tenant.timezone)
    return cost_ranking(
        scope.tenant.id,
        month.start,
        month.end,
        hourly_cost=scope.tenant.hourly_cost,
        currency=scope.tenant.currency,
    )


@dataclass(frozen=True)
class BoardCosts:
    """The page's clients' figures for the last full month."""

    figures: dict[int, MonthFigures]

    def cell(self, t: Translator, client_id: int) -> str | None:
        """The board line's cost part: "costs 2.3× what it pays", when there is a ratio."""
        found = self.figures.get(client_id)
        return ratio_text(t, found.ratio) if found and found.ratio is not None else None

    def ratio(self, client_id: int) -> float | None:
        """The ratio as data."""
        found = self.figures.get(client_id)
        return float(found.ratio) if found and found.ratio is not None else None


async def board_costs(scope: Scope, clients: Sequence[Client]) -> BoardCosts:
    """The figures of the board page's clients, in two queries."""
    month = last_full_month(scope.now, scope.tenant.timezone)
    return BoardCosts(await month_figures(scope, clients, month))


def cost_heading(scope: Scope) -> tuple[str, str | None]:
    """The cost board's title, and why it has no figures while the hourly cost is unset."""
    t = scope.t
    month = last_full_month(scope.now, scope.tenant.timezone)
    title = t._("Clients by cost against revenue, {month}", month=month_name(t, month))
    return title, None if is_set(scope.tenant) else no_hourly_cost_text(t)
