"""What each decision is called, as an action a manager picks."""

from skills.strikes.policy import Decision
from skills.text.i18n import N_, Translator

DECISION_LABELS: dict[Decision, str] = {
    Decision.KEEP_ON_TERMS: N_("Keep them, on our terms"),
    Decision.CONVERSATION: N_("Have a real conversation"),
    Decision.REFER: N_("Refer them elsewhere"),
    Decision.OFFBOARDING: N_("Start offboarding"),
    Decision.FIRED: N_("End the relationship"),
    Decision.CLEARED: N_("Clear the strikes"),
}


def decision_label(t: Translator, decision: Decision) -> str:
    """The decision's name in the translator's language."""
    return t._(DECISION_LABELS[decision])
