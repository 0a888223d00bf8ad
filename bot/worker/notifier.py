"""The one interface every platform's delivery implements (Slack and Teams)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from skills.core.context import Actor
from skills.outbox.files import OutgoingFile
from skills.replies import Reply
from skills.summary.chart import Chart


@dataclass(frozen=True)
class Delivered:
    """Where the platform put a message: enough to update it in place later."""

    channel: str
    message_id: str


class DeliveryError(Exception):
    """A send that failed. ``permanent`` failures are parked at once (a channel that does not
    exist, a revoked token); others are retried, not before ``retry_after`` seconds."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


class Notifier(Protocol):
    """Sends neutral replies to people and channels of one platform's tenants."""

    platform: str

    async def tenants(self) -> frozenset[str] | None:
        """The tenants this notifier can reach: None for every tenant of the platform (an
        OAuth app with many installs), or the one workspace of a single token."""
        ...

    async def admins(self, tenant_id: str) -> list[str]:
        """The workspace's admins and owners: managers while the tenant lists none."""
        ...

    async def is_shared_externally(self, tenant_id: str, recipient: str) -> bool:
        """Whether ``recipient`` is a conversation people of another organisation can read."""
        ...

    async def post(self, tenant_id: str, recipient: str, reply: Reply, reader: Actor) -> Delivered:
        """Send ``reply`` to a person (a direct message) or a channel; buttons act for
        ``reader``."""
        ...

    async def update(
        self, tenant_id: str, delivered: Delivered, reply: Reply, reader: Actor
    ) -> None:
        """Replace a message sent earlier with ``reply``."""
        ...

    async def attach(
        self, tenant_id: str, recipient: str, delivered: Delivered, chart: Chart
    ) -> None:
        """Attach an image under a message sent earlier to ``recipient`` (in its thread)."""
        ...

    async def send_file(
        self, tenant_id: str, recipient: str, delivered: Delivered, file: OutgoingFile, offer: str
    ) -> None:
        """Give a person ``file`` after the message ``delivered`` that introduces it, in their
        direct messages. A platform that asks the person first (Teams) offers it, naming it
        ``offer`` so that their answer (``AnswerFileOffer``) finds it; the file then goes
        through ``put_file``."""
        ...

    async def put_file(
        self, tenant_id: str, recipient: str, file: OutgoingFile, destination: Mapping[str, str]
    ) -> Delivered:
        """Put a file the person allowed where the platform said (``destination``: its upload
        details), and show it to them there."""
        ...
