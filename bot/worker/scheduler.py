"""The scheduler: queues weekly summaries that are due and reminders of unanswered pings, and
keeps the listening counters (ghosting, retention), and deletes expired forms.

It only queues; the dispatcher sends. Time comes from the services' clock, so tests move a
fake clock and call ``tick`` instead of sleeping.
"""

import logging

from skills.core.context import Services
from skills.core.forms import purge_expired_forms
from skills.escalation.reminders import queue_due_reminders
from skills.listening.hearing import count_ghosting, purge_old_signals
from skills.suggestions.detection import suggest_daily
from skills.summary.schedule import claim_due_summaries

log = logging.getLogger(__name__)


class Scheduler:
    """One tick: claim due summaries (once per tenant and week, whatever the replicas), and
    queue reminders."""

    def __init__(self, services: Services, claimant: str) -> None:
        self._services = services
        # Written on each claim, so operators can see which process took a run.
        self._claimant = claimant

    async def tick(self) -> tuple[list[str], int]:
        """The tenants whose summary was queued, and how many escalations were reminded. Also
        counts questions clients left unanswered, drops counters past their retention, and
        deletes forms that expired."""
        summaries = await claim_due_summaries(self._services, self._claimant)
        reminded = await queue_due_reminders(self._services)
        await count_ghosting(self._services)
        await purge_old_signals(self._services)
        await purge_expired_forms(self._services)
        await suggest_daily(self._services, self._claimant)
        if summaries or reminded:
            log.info("queued %d weekly summaries and %d reminders", len(summaries), reminded)
        return summaries, reminded
