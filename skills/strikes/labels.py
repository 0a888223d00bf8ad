"""What the policy's states, severities and decisions are called, in the catalogs' source
language, and in a translator's."""

from skills.strikes.policy import ClientState, Decision, Severity
from skills.text.i18n import N_, Translator

STATE_LABELS: dict[ClientState, str] = {
    ClientState.OK: N_("OK"),
    ClientState.WATCH: N_("On watch"),
    ClientState.THRESHOLD: N_("Over the threshold"),
    ClientState.KEEP_ON_TERMS: N_("Kept, on our terms"),
    ClientState.CONVERSATION: N_("Having a real conversation"),
    ClientState.REFER: N_("Referring elsewhere"),
    ClientState.OFFBOARDING: N_("Offboarding"),
    ClientState.FIRED: N_("No longer a client"),
    ClientState.CLEARED: N_("Strikes cleared"),
}


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.NOTE: N_("Note (no strike)"),
    Severity.YELLOW: N_("Yellow card (one strike)"),
    Severity.RED: N_("Red card (over the threshold at once)"),
}


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


def state_label(t: Translator, state: ClientState) -> str:
    """The state's name in the translator's language."""
    return t._(STATE_LABELS[state])


def severity_label(t: Translator, severity: Severity) -> str:
    """The severity's name in the translator's language."""
    return t._(SEVERITY_LABELS[severity])
