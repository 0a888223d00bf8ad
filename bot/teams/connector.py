"""Calls to the Bot Connector of a conversation's service URL, outside a turn as well as in one:
proactive messages, one-to-one chats, updates in place, member lookups; and a file's bytes put
where a person allowed it (their OneDrive's upload session).

With credentials the token comes from the SDK's MSAL connection, and only Microsoft's hosts are
called (the SDK's outbound host validator): an activity cannot send the bot's token elsewhere.
In anonymous local mode there is no token and any host is called (the Bot Framework Emulator
and the tests' fake connector listen on loopback).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import aiohttp
from microsoft_agents.hosting.core import AgentAuthConfiguration, OutboundHostValidator
from microsoft_agents.hosting.core.authorization import Connections
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.worker.notifier import DeliveryError

# The Bot Connector's token audience, and the scope asked for it.
CONNECTOR_RESOURCE = "https://api.botframework.com"
CONNECTOR_SCOPE = "https://api.botframework.com/.default"
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410, 413})


class Connector:
    """Opens Bot Connector clients; every call at most ``timeout``."""

    def __init__(
        self,
        config: AgentAuthConfiguration,
        connections: Connections,
        hosts: OutboundHostValidator,
        timeout: timedelta,
    ) -> None:
        self._config = config
        self._connections = connections
        self._hosts = hosts
        self._timeout = aiohttp.ClientTimeout(total=timeout.total_seconds())

    @asynccontextmanager
    async def client(self, service_url: str) -> AsyncIterator[TeamsConnectorClient]:
        """A client for ``service_url``; the connector's failures as ``DeliveryError``."""
        if self._hosts.enabled and not self._hosts.is_allowed(service_url):
            raise DeliveryError(f"{service_url} is not a Bot Connector host", permanent=True)
        token = await self._token()
        endpoint = service_url if service_url.endswith("/") else service_url + "/"
        session = aiohttp.ClientSession(base_url=endpoint, timeout=self._timeout)
        client = TeamsConnectorClient(endpoint=endpoint, token=token, session=session)
        try:
            yield client
        except aiohttp.ClientResponseError as error:
            raise _delivery_error(error) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Bot Connector unreachable: {type(error).__name__}") from error
        finally:
            await client.close()

    async def upload(self, upload_url: str, content: bytes) -> None:
        """Put ``content`` in the upload session Teams opened when the person allowed a file,
        in one request. The address carries its own authorisation: the bot's token never goes
        there. With an identity, only Microsoft's hosts over HTTPS are called (OneDrive is
        ``sharepoint.com``). Neither the address nor the bytes are ever logged."""
        if self._hosts.enabled and not self._hosts.is_allowed(upload_url):
            raise DeliveryError("the upload address is not a Microsoft host", permanent=True)
        # The whole file in one range (an export is never empty).
        headers = {"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}"}
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.put(upload_url, data=content, headers=headers) as response,
            ):
                response.raise_for_status()
        except aiohttp.ClientResponseError as error:
            raise _delivery_error(error, "OneDrive") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"OneDrive unreachable: {type(error).__name__}") from error

    async def _token(self) -> str:
        if not self._config.CLIENT_ID:
            return ""
        provider = self._connections.get_default_connection()
        try:
            return await provider.get_access_token(CONNECTOR_RESOURCE, [CONNECTOR_SCOPE])
        except Exception as error:  # MSAL's own errors: the identity provider said no, or is away
            raise DeliveryError(f"no Bot Connector token: {type(error).__name__}") from error


def _delivery_error(
    error: aiohttp.ClientResponseError, service: str = "Bot Connector"
) -> DeliveryError:
    if error.status == 429:
        return DeliveryError(f"{service} rate limit (429)", retry_after=_seconds(error))
    return DeliveryError(
        f"{service} error: HTTP {error.status}", permanent=error.status in PERMANENT_STATUSES
    )


def _seconds(error: aiohttp.ClientResponseError) -> float | None:
    try:
        return float(error.headers.get("Retry-After", "")) if error.headers else None
    except ValueError:
        return None
