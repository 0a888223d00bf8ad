"""Answers the last full month's figures suggest to the assessment: its value questions
(monthly revenue, support hours), "costs more than they pay", and "pays late" from what is
overdue now. A person sees them filled in and changes them if they are wrong."""

from skills.core.scope import Scope
from skills.costs.month import last_full_month, month_figures, overdue_now
from skills.text.i18n import Translator
from storage.models import Client

REVENUE = "monthly_revenue"
HOURS = "support_hours"


async def cost_suggestions(scope: Scope, client: Client) -> dict[str, str]:
    """The suggested answers, amounts written plainly as the dialog keeps them. Support hours
    only when the month had support signals, tickets or touch points (none is no data, not no
    support; invoices say nothing about support); revenue only in the currency the
    assessment's ratio divides in, once the workspace has one."""
    month = last_full_month(scope.now, scope.tenant.timezone)
    found = (await month_figures(scope, [client], month))[client.id or 0]
    suggested: dict[str, str] = {}
    if found.has_support_signals:
        suggested[HOURS] = str(found.hours.normalize())
    # Without the workspace's currency the amount would be read in whatever currency the
    # manager enters next to it.
    currency = scope.tenant.currency
    if found.revenue is not None and currency is not None and currency == found.revenue_currency:
        suggested[REVENUE] = str(found.revenue)
    if found.costs_more_than_it_pays:
        suggested["costs_more_than_pays"] = "often"
    overdue = (await overdue_now(scope, [client.id or 0])).get(client.id or 0)
    if overdue is not None:
        late = overdue.days >= scope.policy.non_payment_red_after_days
        suggested["pays_late"] = "often" if late else "sometimes"
    return suggested


def prefilled_hint(t: Translator, name: str, currency: str | None) -> str:
    """The hint of a value field filled in from last month's figures."""
    if name == REVENUE and currency:
        return t._(
            "Last month's, in {currency}, from the invoices or the client's record; change it "
            "if it is wrong.",
            currency=currency,
        )
    return t._("Filled in from last month's tickets and touch points; change it if it is wrong.")
