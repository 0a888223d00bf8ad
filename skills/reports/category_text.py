"""What each incident category is called and means, in the catalogs' source language."""

from typing import Final

from skills.text.i18n import N_

CATEGORY_TEXT: Final[dict[str, tuple[str, str]]] = {
    "abuse": (
        N_("Abuse of staff"),
        N_("Insults, shouting, personal attacks or humiliating a team member."),
    ),
    "threat": (
        N_("Threat"),
        N_("Threatens harm, damage or legal action to intimidate the team."),
    ),
    "dishonesty": (
        N_("Dishonesty"),
        N_("Claims promises nobody made, invents stories, or hid real needs or budget."),
    ),
    "public_attack": (
        N_("Public attack"),
        N_("Unfair public complaints, reviews or posts that damage our reputation."),
    ),
    "bypassing_process": (
        N_("Goes around support"),
        N_("Skips the support process and goes straight to managers or executives."),
    ),
    "non_payment": (
        N_("Unpaid invoices"),
        N_("Invoices left unpaid or paid very late."),
    ),
    "underpaying": (
        N_("Haggling over price"),
        N_("Disputes the price of delivered work or keeps squeezing for extras."),
    ),
    "scope_creep": (
        N_("Scope creep"),
        N_("Asks for more than was agreed and will not take no for an answer."),
    ),
    "attention_hog": (
        N_("Takes far more time than paid for"),
        N_("Uses much more of the team's time than the account pays for."),
    ),
    "moving_goalposts": (
        N_("Moving goalposts"),
        N_("Requirements stay vague or keep changing; unhappy even when we deliver."),
    ),
    "unresponsive": (
        N_("Goes silent"),
        N_("Ignores calls and e-mail, misses meetings or onboarding."),
    ),
    "ignores_advice": (
        N_("Ignores our advice"),
        N_("Wants an order-taker, not a partner: dictates and dismisses our expertise."),
    ),
    "repeat_issue": (
        N_("Same problem again"),
        N_("The same complaint or the same mistake, once more."),
    ),
    "expectation_mismatch": (
        N_("Wants what we don't offer"),
        N_("Expects a product or service we do not provide."),
    ),
}
