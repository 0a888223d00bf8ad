"""The Teams route: ``POST /api/messages`` on the project's one aiohttp application.

With ``MICROSOFT_APP_ID``/``MICROSOFT_APP_PASSWORD``/``MICROSOFT_APP_TENANT_ID`` set, every
request must carry a valid Bot Framework JWT (the SDK's JWT authorization, on this route only:
Slack's route keeps Slack's verification); a token the check cannot even read is a 401 too.
Without them, anonymous local mode is accepted only when ``TEAMS_ALLOW_ANONYMOUS=1``; otherwise
the route answers 503 (bot/app.py). A body that is not an activity is a 400
(bot/teams/activity_shape.py).
"""

import logging
import warnings
from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    OutboundHostValidator,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes

from bot.buttons import ButtonCodec, button_key
from bot.keys import SERVICES_KEY
from bot.listening_queue import ListeningQueue
from bot.settings import Settings
from bot.surface import SurfaceCore
from bot.teams.activity_shape import malformed_activity
from bot.teams.connector import Connector
from bot.teams.people import PLATFORM, Directory
from bot.teams.surface import TeamsSurface
from skills.core.context import Services

# Calls made while Teams waits (an invoke must be answered within five seconds).
CALL_TIMEOUT = timedelta(seconds=4)
# Where the SDK's JWT middleware looks for the configuration (a plain string key, its choice).
SDK_CONFIGURATION_KEY = "agent_configuration"
# Anonymous mode accepts unsigned requests, so a forged button is no worse than a forged
# message; the key only has to be stable across restarts.
ANONYMOUS_BUTTON_SECRET = "yellowcard teams anonymous mode"


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The bot's identity (tokens checked against the Bot Framework's issuers too), or
    anonymous local mode, which ``Settings.teams_configured`` allows only when asked for."""
    secret = settings.microsoft_app_password
    if settings.teams_identity and secret is not None:
        return AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=settings.microsoft_app_id,
            tenant_id=settings.microsoft_app_tenant_id,
            client_secret=secret.get_secret_value(),
            validate_issuer=True,
        )
    return AgentAuthConfiguration(anonymous_allowed=True)


def teams_connector(settings: Settings, timeout: timedelta) -> Connector:
    """Bot Connector clients with the bot's credentials, each call at most ``timeout``."""
    config = auth_configuration(settings)
    return Connector(config, _connections(config), _hosts(config), timeout)


def teams_button_codec(settings: Settings, services: Services) -> ButtonCodec:
    """Signs button values with a key derived from the bot's secret."""
    secret = settings.microsoft_app_password
    key = button_key(secret.get_secret_value() if secret else None, ANONYMOUS_BUTTON_SECRET)
    return ButtonCodec(services, key)


def _connections(config: AgentAuthConfiguration) -> MsalConnectionManager:
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})


def _hosts(config: AgentAuthConfiguration) -> OutboundHostValidator:
    """Only Microsoft's hosts with an identity; anything (loopback too) in anonymous mode."""
    return OutboundHostValidator(enabled=bool(config.CLIENT_ID))


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """Replaces the SDK's default, which posts the exception's text into the conversation (a
    channel, possibly, and the text of a database error can hold a client's data)."""
    log.error("Teams turn failed: %s", type(error).__name__, exc_info=error)


log = logging.getLogger(__name__)
TEAMS_KEY = web.AppKey("teams", TeamsSurface)
ADAPTER_KEY = web.AppKey("teams_adapter", CloudAdapter)
# Set once the SDK's JWT check let the request through.
AUTHENTICATED = web.RequestKey("teams_authenticated", bool)
# What the SDK answers a token it refuses.
UNAUTHENTICATED = {"error": "Invalid token or authentication failed."}


def mount_teams(app: web.Application, settings: Settings) -> None:
    """Add ``POST /api/messages``; the agent is built when the application starts."""
    config = auth_configuration(settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app[SDK_CONFIGURATION_KEY] = config

    async def context(app: web.Application) -> AsyncIterator[None]:
        services = app[SERVICES_KEY]
        connections = _connections(config)
        connector = Connector(config, connections, _hosts(config), CALL_TIMEOUT)
        adapter = CloudAdapter(connection_manager=connections, host_validator=_hosts(config))
        adapter.on_turn_error = _on_turn_error
        app[ADAPTER_KEY] = adapter
        heard = ListeningQueue(services)
        core = SurfaceCore(
            services, teams_button_codec(settings, services), settings.yellowcard_locale, PLATFORM
        )
        app[TEAMS_KEY] = TeamsSurface(core, connector, Directory(connector, services), heard)
        yield
        await heard.close()

    async def messages(request: web.Request) -> web.StreamResponse:
        # Reached only through the JWT check: whatever fails from here on is not the token.
        request[AUTHENTICATED] = True
        try:
            data = await request.json()  # read as the SDK reads it (the bytes are kept)
        except (ValueError, LookupError, RecursionError):  # not JSON, or in no known charset
            problem: str | None = "the body is not JSON"
        else:
            problem = malformed_activity(data)
        if problem is not None:
            log.warning("malformed Teams activity refused: %s", problem)
            return web.json_response({"error": "malformed_request", "message": problem}, status=400)
        response = await request.app[ADAPTER_KEY].process(request, request.app[TEAMS_KEY])
        return response or web.Response(status=202)

    # The SDK's JWT check on this route only; it reads the configuration set above.
    checked = jwt_authorization_decorator(messages)

    async def authenticated(request: web.Request) -> web.StreamResponse:
        """The JWT check, every failure of which is a 401: the SDK raises on some tokens it
        cannot use (one without ``kid``, for one) instead of refusing them."""
        try:
            response: web.StreamResponse = await checked(request)
        except Exception as error:
            if request.get(AUTHENTICATED, False):
                raise  # the handler's own failure, not the token's
            log.warning("Teams token refused: it could not be checked (%s)", type(error).__name__)
            return web.json_response(UNAUTHENTICATED, status=401)
        return response

    app.cleanup_ctx.append(context)
    app.router.add_post("/api/messages", authenticated)
