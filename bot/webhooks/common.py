"""What the webhook routes share: the connection looked up, the body read, the answers."""

import logging

from aiohttp import web

from bot.keys import SERVICES_KEY
from bot.request_body import body_within
from skills.integrations.connections import Receiver, SecretsKeyMissingError, receiver
from skills.integrations.receiving import Outcome, Said, receive

log = logging.getLogger(__name__)

# An invoice or a ticket event is a few KB; Stripe's largest events stay well under this.
MAX_BODY_BYTES = 512 * 1024


class RefusedError(Exception):
    """The request is answered with ``response`` and nothing is changed."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


async def connection_of(request: web.Request, kind: str) -> Receiver:
    """The active connection the path names, with its secret; RefusedError with 404 when there is
    none, 503 when ``SECRETS_KEY`` cannot read its secret (the sender retries later)."""
    try:
        found = await receiver(request.app[SERVICES_KEY], kind, request.match_info["connection"])
    except SecretsKeyMissingError as missing:
        log.error("a %s webhook could not be verified: %s", kind, missing)
        raise RefusedError(
            error(503, "not_configured", "the server cannot verify webhooks yet")
        ) from None
    if found is None:
        raise RefusedError(error(404, "not_found", "no such connection (unknown or revoked)"))
    return found


async def body_of(request: web.Request) -> bytes:
    """The raw body, as signed; RefusedError with 413 past ``MAX_BODY_BYTES``."""
    body = await body_within(request, MAX_BODY_BYTES)
    if body is None:
        raise RefusedError(error(413, "body_too_large", f"the body is over {MAX_BODY_BYTES} bytes"))
    return body


async def record(request: web.Request, found: Receiver, said: Said | None) -> web.Response:
    """Record what a verified request says, and answer 200 with what became of it."""
    if said is None:
        return web.json_response({"status": Outcome.IGNORED.value})
    outcome = await receive(request.app[SERVICES_KEY], found, said)
    return web.json_response({"status": outcome.value})


def error(status: int, code: str, message: str) -> web.Response:
    """A JSON error (English: read by whoever set the webhook up)."""
    return web.json_response({"error": code, "message": message}, status=status)
