"""When a workspace uninstalls the app or revokes its tokens (Events API ``app_uninstalled``,
``tokens_revoked``): its stored installation goes, so no token of it stays in the database,
the authorization cache forgets it, and the audit trail says so. The tenant's records stay, for
a reinstall.

With one workspace's token from the environment there is nothing stored to delete; the event
is still written down, and the operator removes the token.
"""

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.slack.authorization import Authorization
from bot.slack.people import Workspace
from skills.core.context import Services
from skills.core.tenancy import record_installation_removed

log = logging.getLogger(__name__)

# The events a workspace sends when it takes the app's access away (subscribed in the manifest).
UNINSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")


class Uninstalls:
    """The listeners for a workspace taking the app's access away."""

    def __init__(
        self,
        services: Services,
        authorization: Authorization,
        installations: AsyncInstallationStore | None,
    ) -> None:
        self._services = services
        self._authorization = authorization
        self._installations = installations

    def register(self, app: AsyncApp) -> None:
        """Listen for the two events on ``app``."""
        uninstalled, revoked = UNINSTALL_EVENTS
        app.event(uninstalled)(self.on_uninstalled)
        app.event(revoked)(self.on_tokens_revoked)

    async def on_uninstalled(self, context: AsyncBoltContext) -> None:
        """Every installation of the workspace goes (bot and people alike)."""
        workspace = self._workspace(context)
        if self._installations is not None:
            await self._installations.async_delete_all(
                enterprise_id=context.enterprise_id, team_id=context.team_id
            )
        self._authorization.forget(context.enterprise_id, context.team_id)
        log.info("Yellowcard was uninstalled from %s", workspace.tenant_id)
        await record_installation_removed(
            self._services,
            workspace.tenant_id,
            what="uninstalled",
            detail={"deleted": self._installations is not None},
        )

    async def on_tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """The revoked tokens' installations go: the bot's, and each person's."""
        workspace = self._workspace(context)
        tokens = event.get("tokens") or {}
        people = [str(user) for user in tokens.get("oauth") or []]
        bot = bool(tokens.get("bot"))
        if self._installations is not None:
            for user_id in people:
                await self._installations.async_delete_installation(
                    enterprise_id=context.enterprise_id, team_id=context.team_id, user_id=user_id
                )
            if bot:
                await self._installations.async_delete_bot(
                    enterprise_id=context.enterprise_id, team_id=context.team_id
                )
        if bot:
            self._authorization.forget(context.enterprise_id, context.team_id)
        await record_installation_removed(
            self._services,
            workspace.tenant_id,
            what="tokens_revoked",
            detail={"bot": bot, "people": len(people), "deleted": self._installations is not None},
        )

    @staticmethod
    def _workspace(context: AsyncBoltContext) -> Workspace:
        # Bolt skips authorizing these two events (the tokens may be gone already) and names
        # the workspace from the envelope's authorizations.
        return Workspace(
            context.team_id, context.enterprise_id, bool(context.is_enterprise_install)
        )
