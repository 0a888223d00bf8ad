"""Webhooks from the systems a team already runs (docs/integrations.md).

Routes: ``POST /webhooks/stripe/{connection}``, ``POST /webhooks/zendesk/{connection}``. Each
request is verified with its connection's signing secret before its body is parsed; 404 for
an unknown or revoked connection, 400 for a bad signature or a stale timestamp (nothing is
changed then), 2xx once what it says is recorded or held.
"""

from aiohttp import web

from bot.webhooks.stripe import post_stripe
from bot.webhooks.zendesk import post_zendesk


def mount_webhooks(app: web.Application) -> None:
    """Add the webhook routes."""
    app.router.add_post("/webhooks/stripe/{connection}", post_stripe)
    app.router.add_post("/webhooks/zendesk/{connection}", post_zendesk)
