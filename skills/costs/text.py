"""The cost figures in words, the same on the card, the board and the summary."""

from decimal import ROUND_DOWN, ROUND_UP, Decimal

from babel.dates import format_skeleton
from babel.numbers import format_percent

from skills.costs.month import Month, MonthFigures, NoRatio, Overdue
from skills.settings.hourly_cost import how_to_set
from skills.text.i18n import Translator

# A ratio is shown to a tenth ("2.3×"): closer would claim more than the minutes know.
TENTH = Decimal("0.1")
# A share below 1 to the whole percent ("costs 40% of what it pays"), and a ratio near 1.
HUNDREDTH = Decimal("0.01")


def month_name(t: Translator, month: Month) -> str:
    """The month as the locale names it with its year: "February 2026", "2026年2月"."""
    return format_skeleton("yMMMM", month.first_day, locale=t.locale)


def no_hourly_cost_text(t: Translator) -> str:
    """Why there are no cost figures, and the command that gives them."""
    return t._(
        "No cost figures: the cost of a support hour is not set ({command}).",
        command=how_to_set(t),
    )


def ratio_number(t: Translator, ratio: Decimal) -> str:
    """The ratio to the tenth ("2.3"); to the hundredth, rounded away from 1, when the tenth
    would read 1 though it is not exactly 1 ("1.01", "0.98"): a client costing more than it
    pays never reads as costing what it pays."""
    tenths = ratio.quantize(TENTH)
    if tenths != 1 or ratio == 1:
        return t.number(tenths)
    return t.number(ratio.quantize(HUNDREDTH, rounding=ROUND_UP if ratio > 1 else ROUND_DOWN))


def times_text(t: Translator, ratio: Decimal) -> str:
    """The ratio as times: "2.3×", "1.01×"."""
    return t._("{ratio}×", ratio=ratio_number(t, ratio))


def ratio_text(t: Translator, ratio: Decimal) -> str:
    """ "costs 2.3× what it pays", or under 1 the share of it: "costs 40% of what it pays"."""
    if ratio > 1:
        return t._("costs {ratio}× what it pays", ratio=ratio_number(t, ratio))
    share = format_percent(ratio.quantize(HUNDREDTH), locale=t.locale)
    return t._("costs {share} of what it pays", share=share)


def no_ratio_text(t: Translator, figures: MonthFigures) -> str:
    """Why there is no ratio, and what would give one."""
    reason = figures.no_ratio
    if reason is NoRatio.NO_HOURLY_COST:
        return no_hourly_cost_text(t)
    if reason is NoRatio.NO_SUPPORT_SIGNALS:
        return t._(
            "No cost figures: no ticket or touch point of this client was received that month."
        )
    if reason is NoRatio.MIXED_INVOICE_CURRENCIES:
        return t._(
            "No ratio: the month's invoices are in more than one currency, and Yellowcard does "
            "not convert currencies."
        )
    if reason is NoRatio.OTHER_CURRENCY:
        return t._(
            "No ratio: the revenue is in {revenue} and the hourly cost in {cost}, and "
            "Yellowcard does not convert currencies.",
            revenue=figures.revenue_currency or "",
            cost=figures.cost_currency or "",
        )
    return t._("No ratio: no invoices that month and no monthly revenue on record.")


def hours_text(t: Translator, figures: MonthFigures) -> str:
    """The support time in hours, to the hundredth: "14.5 h"."""
    return t._("{hours} h", hours=t.number(figures.hours.normalize()))


def money_text(t: Translator, amount: Decimal | None, currency: str | None) -> str | None:
    """An amount in its currency, or None when either is missing."""
    if amount is None or currency is None:
        return None
    return t.money(amount, currency)


def overdue_text(t: Translator, overdue: Overdue) -> str:
    """ "€1,200.00, 45 days": the amounts per currency and the days since the oldest fell due."""
    amounts = t.list_of(t.money(amount, currency) for currency, amount in overdue.amounts)
    days = t.n_("{count} day", "{count} days", overdue.days)
    return t._("{amounts} ({days})", amounts=amounts, days=days) if amounts else days
