"""The assessment's words, in the catalogs' source language: short, concrete and neutral."""

from typing import Final

from skills.text.i18n import N_, NP_

GROUP_TITLES: Final[dict[str, str]] = {
    "effort": N_("Effort and value"),
    "respect": N_("Respect for the team"),
    "expectations": N_("Expectations"),
    "segment": N_("Fit with our customers"),
    "partnership": N_("Working together"),
    "money": N_("Money"),
    "honesty": N_("Availability and honesty"),
    "demands": N_("Demands and reputation"),
    "value": N_("What they are worth to us"),
}

QUESTIONS: Final[dict[str, str]] = {
    "costs_more_than_pays": N_("Does serving them take more time than their plan pays for?"),
    "goes_around_process": N_("Do they skip support and go straight to managers or executives?"),
    "insults_or_yells": N_("Have they insulted, shouted at or belittled someone on the team?"),
    "threatens": N_("Have they threatened anyone on the team, or threatened legal action to push?"),
    "team_dreads_contact": N_("Does the team dread their calls or messages?"),
    "shifting_goals": N_("Do their goals or requirements keep changing?"),
    "refuses_checkins": N_("Do they refuse to agree goals or to attend check-ins?"),
    "wants_what_we_lack": N_("Do they expect something we do not offer?"),
    "outside_ideal_profile": N_("Are they outside the kind of customer we serve best?"),
    "expects_without_taking_part": N_("Do they expect results without doing their part?"),
    "dictates_ignores_advice": N_("Do they dictate how to work and ignore our advice?"),
    "pays_late": N_("Do they pay late, or leave invoices unpaid?"),
    "disputes_price": N_("Do they dispute prices or push for extras at no charge?"),
    "ghosts_or_no_shows": N_("Do they go silent or miss meetings?"),
    "misleads": N_("Have they told us things that turned out to be untrue?"),
    "beyond_agreement": N_("Do they ask for more than was agreed?"),
    "complains_publicly": N_("Have they complained about us in public unfairly?"),
}

# "how often": the answer scale of a question about behaviour, where "No" means "never"; the
# yes-or-no questions' "No" is another message.
ANSWERS: Final[dict[str, tuple[str, str]]] = {
    "no": NP_("how often", "No"),
    "sometimes": NP_("how often", "Sometimes"),
    "often": NP_("how often", "Often"),
}

VALUE_ITEMS: Final[dict[str, str]] = {
    "monthly_revenue": N_("Monthly revenue from them"),
    "support_hours": N_("Support hours they take per month"),
    "reference_account": N_("Are they a reference or a well-known name for us?"),
    "costly_to_lose": N_("Would losing them hurt the business?"),
    "can_change": N_("Could the problems change without great effort?"),
    "star_potential": N_("Could they become one of our best customers?"),
}

COST_ITEMS: Final[dict[str, str]] = {
    "hourly_cost": N_("Cost of a support hour"),
    "currency": N_("Currency"),
}

YES_NO: Final[dict[str, str]] = {"yes": N_("Yes"), "no": N_("No")}
