"""What the policy's states, severities and decisions are called, in the catalogs' source
language, and in a translator's."""

from skills.strikes.policy import ClientState, Decision, Severity, StrikeSummary, crossed_by_red
from skills.text.i18n import N_, NP_, Translator

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


# "decision": a manager's decision, on a button and in the history; the assessment's
# recommendations share some of these words (skills/assessment/playbooks.py).
DECISION_LABELS: dict[Decision, tuple[str, str]] = {
    Decision.KEEP_ON_TERMS: NP_("decision", "Keep them, on our terms"),
    Decision.CONVERSATION: NP_("decision", "Have a real conversation"),
    Decision.REFER: NP_("decision", "Refer them elsewhere"),
    Decision.OFFBOARDING: NP_("decision", "Start offboarding"),
    Decision.FIRED: NP_("decision", "End the relationship"),
    Decision.CLEARED: NP_("decision", "Clear the strikes"),
}


def decision_label(t: Translator, decision: Decision) -> str:
    """The decision's name in the translator's language."""
    return t.p_(*DECISION_LABELS[decision])


def state_label(t: Translator, state: ClientState) -> str:
    """The state's name in the translator's language."""
    return t._(STATE_LABELS[state])


def severity_label(t: Translator, severity: Severity) -> str:
    """The severity's name in the translator's language."""
    return t._(SEVERITY_LABELS[severity])


def active_strikes_label(t: Translator, summary: StrikeSummary, threshold: int) -> str:
    """A client's active strikes as they stand against the threshold: ``1 of 2``; or, once a red
    card counts (one puts a client over the threshold on its own, whatever the count), the red
    cards and that rule, so that "Over the threshold" never sits beside "1 of 2" unexplained.

    The counts are plurals, though English needs none for ``{count} of {threshold}``, so that
    a language can name the strikes and inflect them."""
    if not crossed_by_red(summary):
        return t.n_(
            "{count} of {threshold}",
            "{count} of {threshold}",
            summary.count,
            threshold=t.number(threshold),
        )
    reds = t.n_("{count} red card", "{count} red cards", summary.reds)
    if summary.count > summary.reds:
        reds = t.n_(
            "{count}, including {reds}", "{count}, including {reds}", summary.count, reds=reds
        )
    return t._("{strikes} (a red card puts a client over the threshold on its own)", strikes=reds)
