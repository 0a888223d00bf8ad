"""The signals API for other systems (docs/api.md).

Routes: ``POST /api/v1/signals`` (a bearer token of the tenant), ``GET /api/v1/openapi.json``.
"""

from aiohttp import web
from prometheus_client import Counter

from bot.api.openapi import openapi_document
from bot.api.rate_limit import RateLimiter
from bot.api.signals import (
    COUNTER_KEY,
    FAILURES_KEY,
    LIMITER_KEY,
    post_signals,
)
from bot.keys import REGISTRY_KEY
from bot.settings import Settings

SIGNALS_PATH = "/api/v1/signals"
OPENAPI_PATH = "/api/v1/openapi.json"


def mount_api(app: web.Application, settings: Settings) -> None:
    """Add the API's routes, with the rate limiters of this process (per token, and per
    address for requests without a valid token) and the count of signals by
    result on ``/metrics`` (the app's registry is set first)."""
    app[LIMITER_KEY] = RateLimiter(settings.api_requests_per_minute)
    app[FAILURES_KEY] = RateLimiter(settings.api_requests_per_minute)
    app[COUNTER_KEY] = Counter(
        "yellowcard_api_signals",
        "Signals received through the API, by result: accepted, duplicate or rejected.",
        ["status"],
        registry=app[REGISTRY_KEY],
    )
    app.router.add_post(SIGNALS_PATH, post_signals)
    app.router.add_get(OPENAPI_PATH, openapi_document)
