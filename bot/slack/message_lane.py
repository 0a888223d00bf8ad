"""Events API message deliveries, answered before bolt sees them.

Message events are by far the busiest thing Slack sends: every message of every channel the bot
is in. They need no answer but a 200, and bolt's machinery for a request (a context, a Web API
client, argument injection, a task per listener) cost more than counting the message did
(BENCHMARKS.md). So the Slack route hands a verified message delivery to this lane and answers at
once; the lane authorises it (cached) and gives it to the channel listener in a task of its own.
Every other request still goes through bolt, and over Socket Mode messages do too.
"""

import asyncio
import json
import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.slack.channel_listener import SlackChannelListener
from bot.slack.web_clients import InstalledClients

log = logging.getLogger(__name__)

# How long shutting down waits for the messages being heard.
CLOSE_SECONDS = 10
# Messages answered but not yet counted, at most: past it, the route waits for room before
# answering (Slack gives 3 s), so a flood slows the answers instead of filling memory, and a
# crash loses at most this many counts (docs/listening.md).
MAX_HEARING = 1_000


def message_delivery(body: bytes) -> dict[str, Any] | None:
    """The Events API envelope when ``body`` delivers a message event; None for anything else
    (commands, interactions, other events, JSON that is not an object)."""
    if not body.startswith(b"{"):
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("type") != "event_callback":
        return None
    event = payload.get("event")
    return payload if isinstance(event, dict) and event.get("type") == "message" else None


class MessageLane:
    """Hears message deliveries in the background, each in its own task."""

    def __init__(
        self,
        listener: SlackChannelListener,
        installed: InstalledClients,
        *,
        limit: int = MAX_HEARING,
    ) -> None:
        self._listener = listener
        self._installed = installed
        self._hearing: set[asyncio.Task[None]] = set()
        self._room = asyncio.Semaphore(limit)

    async def take(self, delivery: dict[str, Any]) -> None:
        """Hear the delivery after the route has answered; when ``limit`` messages are already
        being heard, wait for one of them first."""
        await self._room.acquire()
        task = asyncio.create_task(self._hear(delivery))
        # The loop keeps only weak references to tasks: this set keeps them to the end.
        self._hearing.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._hearing.discard(task)
        self._room.release()

    async def close(self) -> None:
        """Let the messages being heard finish (for at most ``CLOSE_SECONDS``)."""
        if not self._hearing:
            return
        _done, late = await asyncio.wait(set(self._hearing), timeout=CLOSE_SECONDS)
        for task in late:
            task.cancel()
        if late:
            log.warning("%d messages were still being heard at shutdown", len(late))
            await asyncio.gather(*late, return_exceptions=True)

    async def _hear(self, delivery: dict[str, Any]) -> None:
        # In a shared channel the envelope's ids can be the other organisation's; the first
        # authorization is always this app's installation (as bolt reads it too).
        installed = (delivery.get("authorizations") or [delivery])[0]
        org_wide = bool(installed.get("is_enterprise_install"))
        try:
            found = await self._installed.find(
                installed.get("enterprise_id"), installed.get("team_id"), org_wide=org_wide
            )
            if found is None:
                return  # not installed there (logged by the authorization)
            await self._listener.hear(delivery, *found)
        except SlackApiError as error:
            log.warning(
                "message %s not heard: %s", delivery.get("event_id"), error.response.get("error")
            )
        except Exception:  # one message's failure must not touch the others
            log.exception("message %s not heard", delivery.get("event_id"))
