"""How much a client contacts the team this week, against the tenant's other clients: the
signal behind a suggested ``attention_hog`` report (DOMAIN §6)."""

import statistics
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from skills.core.scope import Scope
from skills.listening.hearing import iso_week

# Far above: at least this many times the median, and at least this many messages.
FAR_ABOVE_FACTOR = 3
FAR_ABOVE_MINIMUM = 20


@dataclass(frozen=True)
class ContactLevel:
    """A client's messages this week and the median of the tenant's clients who wrote."""

    messages: int
    median: float

    @property
    def far_above(self) -> bool:
        """Whether the client writes far more than the others."""
        return (
            self.messages >= FAR_ABOVE_MINIMUM and self.messages >= FAR_ABOVE_FACTOR * self.median
        )


async def contact_levels(
    scope: Scope, week: str | None = None, client_ids: Collection[int] | None = None
) -> dict[int, ContactLevel]:
    """Every client's contact level in ``week`` (default: this week), for clients who wrote;
    only those of ``client_ids`` when given, against the median of all who wrote."""
    week = week or iso_week(scope.now, scope.tenant.timezone)
    counts = await scope.uow.listening.message_counts(scope.tenant.id, week)
    median = statistics.median(counts) if counts else 0.0
    volumes = await scope.uow.listening.volumes(scope.tenant.id, week, client_ids)
    return {volume.client_id: ContactLevel(volume.client_messages, median) for volume in volumes}


# What the counters suggest for the assessment's questions, over the last four weeks.
RECENT = timedelta(days=28)
_COUNTED_QUESTIONS = {
    "ghosts_or_no_shows": "unanswered",
    "goes_around_process": "escalation_mentions",
}


async def signal_suggestions(scope: Scope, client_id: int) -> dict[str, str]:
    """Assessment answers the listening counters suggest: contact far above the other clients
    this week, questions left unanswered, going over support's head (two or more is "often",
    one "sometimes"). Abuse flags suggest nothing: only a person's report does."""
    suggested: dict[str, str] = {}
    level = (await contact_levels(scope, client_ids=[client_id])).get(client_id)
    if level is not None and level.far_above:
        suggested["costs_more_than_pays"] = "often"
    since = iso_week(scope.now - RECENT, scope.tenant.timezone)
    recent = [
        signal
        for signal in await scope.uow.listening.signals(scope.tenant.id, client_id)
        if signal.week >= since
    ]
    for question, counter in _COUNTED_QUESTIONS.items():
        total = sum(getattr(signal, counter) for signal in recent)
        if total:
            suggested[question] = "often" if total >= 2 else "sometimes"
    return suggested
