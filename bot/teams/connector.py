"""Calls to the Bot Connector of a conversation's service URL, outside a turn as well as in one:
proactive messages, one-to-one chats, updates in place, member lookups.

With credentials the token comes from the SDK's MSAL connection; in anonymous local mode there
is none (the Bot Framework Emulator and the tests' fake connector accept that).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from microsoft_agents.hosting.core import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization import Connections
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.worker.notifier import DeliveryError

# The Bot Framework's token audience for calls to the Bot Connector.
CONNECTOR_SCOPE = "https://api.botframework.com/.default"
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410, 413})


class Connector:
    """Opens a Bot Connector client for a service URL."""

    def __init__(self, config: AgentAuthConfiguration, connections: Connections) -> None:
        self._config = config
        self._connections = connections

    @property
    def app_id(self) -> str:
        """The bot's app id ("" in anonymous mode)."""
        return self._config.CLIENT_ID or ""

    @asynccontextmanager
    async def client(self, service_url: str) -> AsyncIterator[TeamsConnectorClient]:
        """A client for ``service_url``; the connector's failures as ``DeliveryError``."""
        token = ""
        if self._config.CLIENT_ID:
            provider = self._connections.get_default_connection()
            token = await provider.get_access_token(CONNECTOR_SCOPE, [CONNECTOR_SCOPE])
        client = TeamsConnectorClient(endpoint=service_url, token=token)
        try:
            yield client
        except aiohttp.ClientResponseError as error:
            raise _delivery_error(error) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Bot Connector unreachable: {type(error).__name__}") from error
        finally:
            await client.close()


def _delivery_error(error: aiohttp.ClientResponseError) -> DeliveryError:
    if error.status == 429:
        retry_after = error.headers.get("Retry-After") if error.headers else None
        seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
        return DeliveryError("Bot Connector rate limit (429)", retry_after=seconds)
    return DeliveryError(
        f"Bot Connector error: HTTP {error.status}", permanent=error.status in PERMANENT_STATUSES
    )
