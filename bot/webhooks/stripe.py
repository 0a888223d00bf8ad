"""``POST /webhooks/stripe/{connection}``: verified by Stripe's library with the connection's
signing secret (``Stripe-Signature``, its default tolerance of five minutes) before anything
is parsed; then read by ``skills.integrations.stripe_events``."""

import stripe
from aiohttp import web

from bot.webhooks.common import RefusedError, body_of, connection_of, error, record
from skills.integrations.stripe_events import read_event


async def post_stripe(request: web.Request) -> web.Response:
    """Record a Stripe event for the connection's tenant."""
    try:
        found = await connection_of(request, "stripe")
        body = await body_of(request)
    except RefusedError as refused:
        return refused.response
    try:
        event = stripe.Webhook.construct_event(
            body, request.headers.get("Stripe-Signature", ""), found.secret
        )
    except stripe.SignatureVerificationError:
        # Stripe's message tells a bad signature from a stale timestamp.
        return error(400, "bad_signature", "the Stripe-Signature does not verify, or is too old")
    except ValueError:
        return error(400, "malformed_json", "the body is not JSON")
    return await record(request, found, read_event(event.to_dict()))
