"""What each recommendation is called, and what to do for it (DOMAIN.md §5), as checklists
in our own words."""

from enum import StrEnum
from typing import Final

from skills.text.i18n import N_, NP_, Translator


class Recommendation(StrEnum):
    """What the assessment recommends."""

    PART_WAYS = "part_ways"
    REFER = "refer"
    KEEP_ON_TERMS = "keep_on_terms"
    CONVERSATION = "conversation"
    NURTURE = "nurture"


# "recommendation": what an assessment recommends; a manager's decision of the same name is
# another message (skills/strikes/labels.py), so each can be worded for where it is shown.
RECOMMENDATION_LABELS: Final[dict[Recommendation, tuple[str, str]]] = {
    Recommendation.PART_WAYS: NP_("recommendation", "Part ways"),
    Recommendation.REFER: NP_("recommendation", "Refer them elsewhere"),
    Recommendation.KEEP_ON_TERMS: NP_("recommendation", "Keep them, on our terms"),
    Recommendation.CONVERSATION: NP_("recommendation", "Have a real conversation"),
    Recommendation.NURTURE: NP_("recommendation", "Keep up the good work"),
}

# (step key, text): keys are stable, progress is stored against them.
PLAYBOOKS: Final[dict[Recommendation, tuple[tuple[str, str], ...]]] = {
    Recommendation.PART_WAYS: (
        ("senior_delivers", N_("Have a senior person deliver the news, in a call.")),
        ("protect_staff", N_("Keep the team member who was targeted out of the conversation.")),
        ("direct_and_kind", N_("Be direct, decisive and kind; do not argue the past.")),
        ("transition_plan", N_("Offer a transition plan and a refund where possible.")),
        ("point_elsewhere", N_("Tell them where they could be better served.")),
    ),
    Recommendation.REFER: (
        ("name_the_gap", N_("Say plainly what they need and that we do not offer it.")),
        ("suggest_provider", N_("Suggest a provider that fits them better.")),
        ("protect_partners", N_("Never pass on a client who mistreats people to a partner.")),
        ("hand_over", N_("Agree a date and hand over what they need to move.")),
    ),
    Recommendation.KEEP_ON_TERMS: (
        ("tiered_service", N_("Move them to a service level where extra attention is paid for.")),
        ("one_contact", N_("Give them one contact path and a regular status meeting.")),
        ("goals_in_writing", N_("Reset goals and expectations, in writing.")),
        ("review_date", N_("Set a date to review whether the terms are working.")),
    ),
    Recommendation.CONVERSATION: (
        ("share_concern", N_("Tell them openly what worries us.")),
        ("can_and_cannot", N_("Say what we can and cannot do for them.")),
        ("define_success", N_("Agree together what success looks like.")),
    ),
    Recommendation.NURTURE: (
        ("keep_quality", N_("Keep giving them good, fair service.")),
        ("ask_feedback", N_("Ask what would make working with us even better.")),
    ),
}


def recommendation_label(t: Translator, recommendation: str) -> str:
    """The recommendation's name in the translator's language."""
    return t.p_(*RECOMMENDATION_LABELS[Recommendation(recommendation)])
