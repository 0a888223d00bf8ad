"""Which installation a Slack request came through, and its bot token: the ``authorize`` bolt
calls for every request, and the message lane calls for every message event.

With one workspace's token, auth.test describes the installation once. With OAuth, the
installation store's bot for the workspace (or the Grid organisation, for an org-wide install)
describes it. Either answer is kept for a minute. Bolt's own OAuth authorization would read the
store twice and call auth.test on every request: a busy channel's every message.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from cachetools import TTLCache
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

# A reinstall with new scopes or a removed installation reaches requests within this time.
CACHE_SECONDS = 60
CACHE_SIZE = 10_000


class Authorization:
    """Installations by their ids, cached for ``CACHE_SECONDS``."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        token: str | None = None,
        installations: AsyncInstallationStore | None = None,
    ) -> None:
        if (token is None) == (installations is None):
            raise ValueError("give either one workspace's token or an installation store")
        self._client = client
        self._token = token
        self._installations = installations
        self._known: TTLCache[tuple[str | None, str | None, bool], AuthorizeResult] = TTLCache(
            CACHE_SIZE, CACHE_SECONDS
        )
        # One lookup at a time: a burst of deliveries from one workspace asks once.
        self._looking_up = asyncio.Lock()

    async def authorize(
        self, enterprise_id: str | None, team_id: str | None, *, org_wide: bool
    ) -> AuthorizeResult | None:
        """The installation for these ids with its bot token; None when it is not installed."""
        # An org-wide install answers for every workspace of its organisation.
        key = (enterprise_id, None if org_wide else team_id, org_wide)
        found = self._known.get(key)
        if found is not None:
            return found
        async with self._looking_up:
            found = self._known.get(key)
            if found is None:
                found = await self._look_up(enterprise_id, team_id, org_wide)
            if found is not None:
                self._known[key] = found
        return found

    async def _look_up(
        self, enterprise_id: str | None, team_id: str | None, org_wide: bool
    ) -> AuthorizeResult | None:
        if self._installations is None:
            try:
                described = await self._client.auth_test(token=self._token)
            except SlackApiError as error:
                log.error("the bot token was refused: %s", error.response.get("error"))
                return None
            return AuthorizeResult.from_auth_test_response(
                auth_test_response=described, bot_token=self._token
            )
        bot = await self._installations.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
        )
        if bot is None or not bot.bot_token:
            log.warning("no installation for team %s (organisation %s)", team_id, enterprise_id)
            return None
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
        )


def bolt_authorize(authorization: Authorization) -> Callable[..., Awaitable[AuthorizeResult]]:
    """``authorization`` as bolt's ``authorize`` argument (bolt passes what the function's
    parameters name, so it must be a plain function)."""

    async def authorize(
        context: AsyncBoltContext, enterprise_id: str | None, team_id: str | None
    ) -> AuthorizeResult | None:
        return await authorization.authorize(
            enterprise_id, team_id, org_wide=bool(context.is_enterprise_install)
        )

    # bolt's annotation leaves out None, which it answers with "not installed".
    return authorize  # type: ignore[return-value]
