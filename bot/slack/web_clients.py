"""Web API clients by installation: one per bot token, kept, since making one costs more than
the work most requests do (BENCHMARKS.md)."""

from collections.abc import Callable

from cachetools import LRUCache
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.authorization import Authorization
from bot.slack.people import Workspace, workspace_from

CLIENTS_KEPT = 1_000


class InstalledClients:
    """The installation behind a request's ids, and a Web API client with its token."""

    def __init__(
        self, authorization: Authorization, client_for: Callable[[str], AsyncWebClient]
    ) -> None:
        self._authorization = authorization
        self._client_for = client_for
        self._clients: LRUCache[str, AsyncWebClient] = LRUCache(CLIENTS_KEPT)

    async def find(
        self, enterprise_id: str | None, team_id: str | None, *, org_wide: bool
    ) -> tuple[AsyncWebClient, Workspace] | None:
        """The client and workspace of the installation; None when it is not installed there
        (logged by the authorization)."""
        result = await self._authorization.authorize(enterprise_id, team_id, org_wide=org_wide)
        if result is None or not result.bot_token:
            return None
        return self._client(result), workspace_from(result, org_wide=org_wide)

    def _client(self, result: AuthorizeResult) -> AsyncWebClient:
        token = str(result.bot_token)
        client = self._clients.get(token)
        if client is None:
            client = self._clients[token] = self._client_for(token)
        return client
