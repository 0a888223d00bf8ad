"""Which installation a Slack request came through, and its bot token: the ``authorize`` bolt
calls for every request, and the message lane calls for every message event.

With one workspace's token, auth.test describes the installation once per process (a failed
call is asked again on the next request), as bolt did. With OAuth, the installation store's bot
for the workspace (or the Grid organisation, for an org-wide install) describes it, kept for a
minute. Bolt's own OAuth authorization would read the store twice and call auth.test on every
request: a busy channel's every message.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

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

Key = tuple[str | None, str | None, bool]
# With one workspace's token, every request is that workspace's.
ONE_WORKSPACE: Key = (None, None, False)


class Authorization:
    """Installations by their ids: one workspace's token described for the life of the
    process, as bolt did; OAuth installations kept for ``CACHE_SECONDS``."""

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
        self._known: TTLCache[Key, AuthorizeResult] = TTLCache(CACHE_SIZE, CACHE_SECONDS)
        self._described: AuthorizeResult | None = None  # the one workspace's, once known
        # One lookup per installation at a time: a burst of deliveries asks once, and a slow
        # lookup holds up only its own installation's requests.
        self._looking_up: dict[Key, asyncio.Task[AuthorizeResult | None]] = {}

    async def authorize(
        self, enterprise_id: str | None, team_id: str | None, *, org_wide: bool
    ) -> AuthorizeResult | None:
        """The installation for these ids with its bot token; None when it is not installed
        (a failed lookup is not kept: the next request asks again)."""
        if self._installations is None:
            key, found = ONE_WORKSPACE, self._described
        else:
            # An org-wide install answers for every workspace of its organisation.
            key = (enterprise_id, None if org_wide else team_id, org_wide)
            found = self._known.get(key)
        if found is not None:
            return found
        looking = self._looking_up.get(key)
        if looking is None:
            looking = asyncio.create_task(self._look_up(key, enterprise_id, team_id, org_wide))
            self._looking_up[key] = looking
            looking.add_done_callback(partial(self._settled, key))
        # Shielded: one request giving up must not cancel the lookup the others wait on.
        return await asyncio.shield(looking)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        """Drop what is kept of a workspace's installation (it was uninstalled, or its bot
        token revoked): the next request looks it up again. With one workspace's token, that
        token is asked about again."""
        self._described = None
        for key in [
            key
            for key in self._known
            if key[:2] in {(enterprise_id, team_id), (enterprise_id, None)}
        ]:
            self._known.pop(key, None)

    def _settled(self, key: Key, looking: asyncio.Task[AuthorizeResult | None]) -> None:
        self._looking_up.pop(key, None)
        if not looking.cancelled():
            looking.exception()  # seen, even when every request waiting for it has gone

    async def _look_up(
        self, key: Key, enterprise_id: str | None, team_id: str | None, org_wide: bool
    ) -> AuthorizeResult | None:
        if self._installations is None:
            self._described = await self._describe_token()
            return self._described
        found = await self._find_bot(self._installations, enterprise_id, team_id, org_wide)
        if found is not None:
            self._known[key] = found
        return found

    async def _describe_token(self) -> AuthorizeResult | None:
        try:
            described = await self._client.auth_test(token=self._token)
        except SlackApiError as error:
            log.error("auth.test failed for the bot token: %s", error.response.get("error"))
            return None
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=described, bot_token=self._token
        )

    @staticmethod
    async def _find_bot(
        installations: AsyncInstallationStore,
        enterprise_id: str | None,
        team_id: str | None,
        org_wide: bool,
    ) -> AuthorizeResult | None:
        bot = await installations.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
        )
        if bot is None or not bot.bot_token:
            log.warning("no installation for team %s (organisation %s)", team_id, enterprise_id)
            return None
        if bot.bot_refresh_token:
            log.error(
                "the installation of team %s rotates its token, which Yellowcard does not "
                "support: turn token rotation off in the app's settings (docs/slack.md)",
                team_id,
            )
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
