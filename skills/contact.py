"""How much a client contacts the team this week, against the tenant's other clients: the
signal behind a suggested ``attention_hog`` report (DOMAIN §6)."""

import statistics
from dataclasses import dataclass

from skills.listening import iso_week
from skills.scope import Scope

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


async def contact_levels(scope: Scope) -> dict[int, ContactLevel]:
    """Every client's contact level this week (clients who wrote at all)."""
    week = iso_week(scope.now, scope.tenant.timezone)
    volumes = await scope.uow.listening.volumes(scope.tenant.id, week)
    counts = [volume.client_messages for volume in volumes if volume.client_messages]
    median = statistics.median(counts) if counts else 0.0
    return {volume.client_id: ContactLevel(volume.client_messages, median) for volume in volumes}
