"""The one aiohttp application: health, readiness, metrics, and the chat platforms' routes.

With ``WORKER_ENABLED`` (the default) it also runs the outbox dispatcher and the scheduler.

Routes: ``GET /healthz``, ``GET /readyz``, ``GET /metrics``; the signals API (``bot/api``);
Stripe's and Zendesk's webhooks (``bot/webhooks``); ``POST /slack/events``,
``GET /slack/install``, ``GET /slack/oauth_redirect`` and ``POST /api/messages`` answer 503
with what to configure until their platform is set up.
"""

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import text

from bot.api import mount_api
from bot.keys import ENGINE_KEY, REGISTRY_KEY, SERVICES_KEY, SETTINGS_KEY
from bot.settings import Settings
from bot.slack.app import mount_slack
from bot.webhooks import mount_webhooks
from bot.worker.build import build_worker
from skills.core.context import Services
from skills.listening.abuse import check_term_lists
from storage.database import create_engine, create_session_factory
from storage.migrate import current_revision, head_revision, upgrade_to_head

log = logging.getLogger(__name__)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_app(settings: Settings, *, migrate: bool = True) -> web.Application:
    """Build the application; the database is opened (and migrated) when it starts. A broken
    install (an abuse term list missing from the package) fails here, before serving."""
    check_term_lists()
    registry = CollectorRegistry()
    requests = Counter(
        "yellowcard_http_requests",
        "HTTP requests served, by route and status.",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "yellowcard_http_request_duration_seconds",
        "Time to answer an HTTP request, by route.",
        ["route"],
        registry=registry,
    )

    @web.middleware
    async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
        route = request.match_info.route.resource
        name = route.canonical if route is not None else "unmatched"
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            latency.labels(name).observe(time.perf_counter() - started)
            requests.labels(request.method, name, str(status)).inc()

    app = web.Application(middlewares=[measure])
    app[SETTINGS_KEY] = settings
    app[REGISTRY_KEY] = registry
    app.cleanup_ctx.append(_database(settings, migrate=migrate))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    mount_api(app, settings)
    mount_webhooks(app)
    slack = _not_configured(
        "Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN "
        "(or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET). See docs/configuration.md."
    )
    teams = _not_configured(
        "Microsoft Teams is not configured: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and "
        "MICROSOFT_APP_TENANT_ID (or TEAMS_ALLOW_ANONYMOUS=1 for local use). See docs/teams.md."
    )
    if settings.slack_configured:
        mount_slack(app, settings)
    if settings.worker_enabled:
        app.cleanup_ctx.append(_worker(settings))
    if not settings.slack_configured:
        app.router.add_post("/slack/events", slack)
        app.router.add_get("/slack/install", slack)
        app.router.add_get("/slack/oauth_redirect", slack)
    if settings.teams_configured:
        # Imported only here: the Agents SDK and MSAL hold about 26 MB that a process serving
        # Slack alone has no use for.
        from bot.teams.app import mount_teams

        mount_teams(app, settings)
    else:
        app.router.add_post("/api/messages", teams)
    return app


def _database(
    settings: Settings, *, migrate: bool
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        if migrate:
            await upgrade_to_head(engine)
        app[ENGINE_KEY] = engine
        app[SERVICES_KEY] = Services(create_session_factory(engine), secrets_key=settings.key())
        yield
        await engine.dispose()
        log.info("database closed")

    return context


def _worker(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        worker = build_worker(settings, app[SERVICES_KEY], app[ENGINE_KEY], app[REGISTRY_KEY])
        worker.start()
        yield
        await worker.stop()

    return context


async def healthz(_request: web.Request) -> web.Response:
    """The process is up."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """The database answers and is migrated to the code's newest revision."""
    engine = request.app[ENGINE_KEY]
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        revision = await current_revision(engine)
    except Exception as error:  # any failure to reach the database means "not ready"
        log.warning("readiness check failed: %s", type(error).__name__)
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    expected = head_revision()
    if revision != expected:
        body = {"status": "unavailable", "database": "not migrated", "revision": revision}
        return web.json_response(body, status=503)
    return web.json_response({"status": "ok", "revision": revision})


async def metrics(request: web.Request) -> web.Response:
    """Prometheus text exposition of this process's metrics."""
    body = generate_latest(request.app[REGISTRY_KEY])
    response = web.Response(body=body)
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    response.charset = "utf-8"
    return response


def _not_configured(message: str) -> Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.json_response({"error": "not_configured", "message": message}, status=503)

    return handler
