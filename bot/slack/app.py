"""The bolt app, and its routes on the project's aiohttp application.

Routes: ``POST /slack/events`` (commands, interactivity, options, Events API), and with OAuth
``GET /slack/install`` and ``GET /slack/oauth_redirect``. With ``SLACK_APP_TOKEN`` the same app
also listens over Socket Mode.
"""

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.buttons import ButtonCodec, button_key
from bot.keys import ENGINE_KEY, SERVICES_KEY
from bot.listening_queue import ListeningQueue
from bot.settings import Settings
from bot.slack.app_home import AppHome
from bot.slack.authorization import Authorization, bolt_authorize
from bot.slack.channel_listener import SlackChannelListener
from bot.slack.intake import RequestIntake
from bot.slack.message_lane import MessageLane, message_delivery
from bot.slack.notifier import PLATFORM, SlackNotifier
from bot.slack.people import Directory
from bot.slack.request_shape import malformed_request, refusal
from bot.slack.surface import SlackSurface
from bot.slack.uninstall import Uninstalls
from bot.slack.web_clients import InstalledClients
from bot.surface import SurfaceCore
from skills.core.context import Services
from storage.slack_installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

log = logging.getLogger(__name__)

# The manifest asks for the same scopes (manifests/slack.yaml).
# Least privilege: slash commands and shortcuts, users.info and users.list for guests, admins
# and locales. Replies go through response_url and views, which need no scope.
BOT_SCOPES = (
    "commands",
    "users:read",
    # Manager pings and the weekly summary: post and update messages, check a channel is not
    # shared with another organisation, and upload the summary's chart.
    "chat:write",
    "channels:read",
    "groups:read",
    "files:write",
    # Listening in linked support channels: their message events (docs/listening.md).
    "channels:history",
    "groups:history",
)
OAUTH_STATE_SECONDS = 600
# slack_sdk's default for each Web API call.
WEB_API_TIMEOUT_SECONDS = 30
CONNECT_SECONDS = 10


def build_slack(
    settings: Settings,
    services: Services,
    engine: AsyncEngine,
    heard: ListeningQueue,
    session: aiohttp.ClientSession,
) -> "SlackRoutes":
    """The Slack routes for the configured mode (one workspace, or OAuth for many): bolt, the
    OAuth flow and the message lane. Their Web API calls share ``session``'s connections."""
    oauth_flow = None
    installations = installation_store(settings, engine)
    if installations is not None:
        oauth = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=_secret(settings.slack_client_secret),
            scopes=list(BOT_SCOPES),
            installation_store=installations,
            state_store=AsyncSQLAlchemyOAuthStateStore(
                expiration_seconds=OAUTH_STATE_SECONDS, engine=engine, table_name=OAUTH_STATES_TABLE
            ),
        )
        oauth_flow = AsyncOAuthFlow(client=web_client(settings, session), settings=oauth)
    authorization = Authorization(
        web_client(settings, session),
        token=None if installations else _secret(settings.slack_bot_token),
        installations=installations,
    )
    core = SurfaceCore(
        services, button_codec(settings, services), settings.yellowcard_locale, PLATFORM
    )
    app = AsyncApp(
        # Bolt gives each request a client with the installation's token, on the same base URL,
        # retry handlers and session (no lazy listeners: bolt would deep-copy the request, and
        # a live session cannot be copied). The routes run the OAuth flow themselves.
        client=web_client(settings, session),
        authorize=bolt_authorize(authorization),
        # bolt insists on a secret even when it does not verify; the route does the verifying
        # before anything is parsed, and Socket Mode needs none.
        signing_secret=_secret(settings.slack_signing_secret) or "socket-mode",
        request_verification_enabled=False,
        # Said to people whose workspace has no installation (another organisation, in a
        # Slack Connect channel): bolt has no locale at that point, so the default language.
        user_facing_authorize_error_message=core.translator(None)._(
            "Yellowcard is not installed in your workspace."
        ),
    )
    app.error(_listener_failed)
    Uninstalls(services, authorization, installations).register(app)
    directory = Directory(services)
    channels = SlackChannelListener(core, directory, heard)
    channels.register(app)
    surface = SlackSurface(core, directory)
    AppHome(core, directory).register(app)
    installed = InstalledClients(authorization, lambda token: web_client(settings, session, token))
    intake = RequestIntake(
        services,
        installed,
        surface.handlers(),
        surface.apologise,
        lease=timedelta(seconds=settings.request_lease_seconds),
        sweep_every=timedelta(seconds=settings.request_sweep_seconds),
    )
    surface.register(app, intake)
    lane = MessageLane(channels, installed)
    return SlackRoutes(app, oauth_flow, lane, intake, _secret(settings.slack_signing_secret))


async def _listener_failed(error: Exception) -> None:
    """Replaces bolt's default, which writes the error's message into the log line: a driver's
    or Slack's message can quote what a person sent."""
    log.error("a Slack listener failed: %s", type(error).__name__, exc_info=error)


def installation_store(
    settings: Settings, engine: AsyncEngine
) -> AsyncSQLAlchemyInstallationStore | None:
    """Where OAuth installs keep their tokens; None for a single workspace's token."""
    if not settings.slack_client_id:
        return None
    return AsyncSQLAlchemyInstallationStore(
        client_id=settings.slack_client_id,
        engine=engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
    )


def button_codec(settings: Settings, services: Services) -> ButtonCodec:
    """Signs and checks button values with a key derived from the Slack secrets."""
    key = button_key(
        _secret(settings.slack_signing_secret),
        _secret(settings.slack_client_secret),
        _secret(settings.slack_app_token),
        _secret(settings.slack_bot_token),
    )
    return ButtonCodec(services, key)


def slack_notifier(
    settings: Settings, services: Services, engine: AsyncEngine, timeout: timedelta
) -> SlackNotifier:
    """The notifier the outbox dispatcher sends Slack messages with (each call at most
    ``timeout``)."""
    return SlackNotifier(
        settings, button_codec(settings, services), installation_store(settings, engine), timeout
    )


def web_client(
    settings: Settings, session: aiohttp.ClientSession | None = None, token: str | None = None
) -> AsyncWebClient:
    """A Web API client on ``SLACK_API_URL`` that retries rate limits and dropped connections.

    With ``session`` its calls share that session's connections; without, slack_sdk opens a
    session, and so a connection (a TLS handshake, with Slack), for every call.
    """
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


class SlackRoutes:
    """aiohttp handlers that verify Slack's signature, then hand the request to bolt (message
    events to the message lane)."""

    def __init__(
        self,
        app: AsyncApp,
        oauth_flow: AsyncOAuthFlow | None,
        messages: MessageLane,
        intake: RequestIntake,
        signing_secret: str | None,
    ) -> None:
        self.app = app
        self.messages = messages
        self.intake = intake
        self._oauth_flow = oauth_flow
        self._verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Every Slack request: verified on the raw bytes before any parsing."""
        if self._verifier is None:
            message = "Slack over HTTP needs SLACK_SIGNING_SECRET (Socket Mode is in use)."
            return web.json_response({"error": "not_configured", "message": message}, status=503)
        body = await request.read()
        try:
            # Checks the HMAC and that the timestamp is within Slack's five-minute window.
            valid = self._verifier.is_valid_request(body, dict(request.headers))
        except ValueError:  # a timestamp that is not a number
            valid = False
        if not valid:
            return web.json_response({"error": "invalid_signature"}, status=401)
        # The last Content-Type, as bolt reads it.
        reason = malformed_request(body, request.headers.getall("Content-Type", [""])[-1])
        if reason is not None:
            return refusal(reason)
        delivery = message_delivery(body)
        if delivery is not None:
            await self.messages.take(delivery)
            return web.Response()  # Slack needs only the 200
        return await self._dispatch(request, body.decode())

    async def install(self, request: web.Request) -> web.StreamResponse:
        """The "Add to Slack" page of the OAuth install."""
        flow = self._oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        return await to_aiohttp_response(await flow.handle_installation(await _bolt(request, "")))

    async def oauth_redirect(self, request: web.Request) -> web.StreamResponse:
        """Where Slack sends the installer back with the code."""
        flow = self._oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        return await to_aiohttp_response(await flow.handle_callback(await _bolt(request, "")))

    async def _dispatch(self, request: web.Request, body: str) -> web.StreamResponse:
        response = await self.app.async_dispatch(await _bolt(request, bolt_safe_form(body)))
        return await to_aiohttp_response(response)


def bolt_safe_form(body: str) -> str:
    """A form body bolt reads as it is meant. Bolt takes any form body holding the word
    "payload" for an interactivity payload, and one without a ``payload`` field for an empty
    request (slack_bolt.request.internals.parse_body): a command saying "payload" was lost.
    Percent-encoding one letter of the word keeps the decoded values the same; the signature
    was checked on the bytes as they came."""
    if body.startswith("{") or "payload" not in body:
        return body
    if "payload" in dict(parse_qsl(body, keep_blank_values=True)):
        return body
    return body.replace("payload", "p%61yload")


async def _bolt(request: web.Request, body: str) -> AsyncBoltRequest:
    return AsyncBoltRequest(
        body=body,
        query=request.query_string,
        headers={key: [value] for key, value in request.headers.items()},
    )


def _secret(value: object) -> str | None:
    return value.get_secret_value() if value is not None else None  # type: ignore[attr-defined]


SLACK_KEY = web.AppKey("slack", SlackRoutes)


def mount_slack(app: web.Application, settings: Settings) -> None:
    """Add the Slack routes; the bolt app is built when the application starts (after the
    database), and Socket Mode connects then too when ``SLACK_APP_TOKEN`` is set."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        heard = ListeningQueue(app[SERVICES_KEY])
        # No total timeout: it would count the wait for a free connection, which a burst of
        # messages can make long; connecting and each read are bounded instead.
        session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=CONNECT_SECONDS, sock_read=WEB_API_TIMEOUT_SECONDS
            )
        )
        routes = build_slack(settings, app[SERVICES_KEY], app[ENGINE_KEY], heard, session)
        app[SLACK_KEY] = routes
        routes.intake.start()
        socket = None
        if settings.slack_app_token is not None:
            socket = AsyncSocketModeHandler(routes.app, _secret(settings.slack_app_token))
            await socket.connect_async()
        yield
        if socket is not None:
            await socket.close_async()
        # What was acknowledged is handled before the connections close, or handed over.
        await routes.intake.close()
        # The messages being heard still count and may still send notes: then the queue's
        # last batch, then the connections.
        await routes.messages.close()
        await heard.close()
        await session.close()

    async def events(request: web.Request) -> web.StreamResponse:
        return await request.app[SLACK_KEY].events(request)

    async def install(request: web.Request) -> web.StreamResponse:
        return await request.app[SLACK_KEY].install(request)

    async def oauth_redirect(request: web.Request) -> web.StreamResponse:
        return await request.app[SLACK_KEY].oauth_redirect(request)

    app.cleanup_ctx.append(context)
    app.router.add_post("/slack/events", events)
    app.router.add_get("/slack/install", install)
    app.router.add_get("/slack/oauth_redirect", oauth_redirect)
