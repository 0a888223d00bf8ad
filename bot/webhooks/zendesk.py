"""``POST /webhooks/zendesk/{connection}``: verified with Zendesk's scheme before anything is
parsed: ``X-Zendesk-Webhook-Signature`` is base64(HMAC-SHA256(secret, timestamp + body)) with
``X-Zendesk-Webhook-Signature-Timestamp``, compared in constant time, the timestamp no more
than ``TOLERANCE`` from now either way (as Stripe's); then read by
``skills.integrations.zendesk_events``.

Zendesk's guide writes the formula as timestamp then body, but its one worked example (secret
``HRkR…``, signature ``tRDSF7…``) verifies only as body then timestamp. Both orders are taken:
each needs the connection's secret, so neither lets anyone else in (docs/integrations.md)."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.keys import SERVICES_KEY
from bot.webhooks.common import RefusedError, body_of, connection_of, error, record
from skills.integrations.zendesk_events import BodyError, read_body

SIGNATURE = "X-Zendesk-Webhook-Signature"
TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
# Stripe's default tolerance: long enough for clocks a little apart, short for a replay.
TOLERANCE = timedelta(minutes=5)


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature Zendesk sends for ``body`` signed at ``timestamp``, as its guide writes
    the formula (timestamp, then body)."""
    return _signed(secret, timestamp.encode() + body)


def verifies(secret: str, timestamp: str, body: bytes, sent: str) -> bool:
    """Whether ``sent`` is Zendesk's signature of ``body`` at ``timestamp``, in either order
    (see the module's docstring), each compared in constant time."""
    given = sent.encode()
    as_guide = hmac.compare_digest(zendesk_signature(secret, timestamp, body).encode(), given)
    as_example = hmac.compare_digest(_signed(secret, body + timestamp.encode()).encode(), given)
    return as_guide or as_example


def _signed(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


async def post_zendesk(request: web.Request) -> web.Response:
    """Record a Zendesk trigger's ticket event for the connection's tenant."""
    try:
        found = await connection_of(request, "zendesk")
        body = await body_of(request)
    except RefusedError as refused:
        return refused.response
    timestamp = request.headers.get(TIMESTAMP, "")
    sent = request.headers.get(SIGNATURE, "")
    if not timestamp or not verifies(found.secret, timestamp, body, sent):
        return error(400, "bad_signature", f"{SIGNATURE} does not verify")
    signed_at = _moment(timestamp)
    now = request.app[SERVICES_KEY].clock()
    if signed_at is None or abs(now - signed_at) > TOLERANCE:
        return error(400, "stale_timestamp", f"{TIMESTAMP} is more than 5 minutes from now")
    try:
        said = read_body(json.loads(body), signed_at)
    except (ValueError, RecursionError) as wrong:
        message = str(wrong) if isinstance(wrong, BodyError) else "the body is not JSON"
        return error(422 if isinstance(wrong, BodyError) else 400, "invalid_body", message)
    return await record(request, found, said)


def _moment(timestamp: str) -> datetime | None:
    """Zendesk's timestamp: ISO 8601 in UTC, like 2021-05-13T21:18:48Z."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
