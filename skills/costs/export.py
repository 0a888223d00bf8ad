"""The cost figures in a client's export (``/client export``, and the ``data`` part)."""

from skills.core.scope import Scope
from skills.costs.month import last_full_month, month_figures
from storage.models import Client


async def export_costs(scope: Scope, client: Client) -> dict[str, object]:
    """The last full month's figures: ``monthly_revenue``, ``monthly_cost_to_serve`` and
    ``cost_to_revenue`` (amounts as strings to the cent, with their currencies), the month's
    counts and minutes, and what was overdue at its end."""
    month = last_full_month(scope.now, scope.tenant.timezone)
    return (await month_figures(scope, [client], month))[client.id or 0].as_data
