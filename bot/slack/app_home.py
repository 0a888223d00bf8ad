"""The App Home: ``app_home_opened``, on either tab. The first time a person opens it they are
welcomed (a direct message, through the outbox, so it lands in the Messages tab); the Home tab
is drawn afresh each time it is opened.

One listener for both, since bolt runs only the first listener an event matches.
"""

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.people import Directory, workspace_of
from bot.slack.render import home_view
from bot.surface import SurfaceCore
from skills.commands import ShowHome
from skills.core.welcome import queue_welcome

# Events API subscriptions; the manifest subscribes to the same ones.
HOME_EVENTS = ("app_home_opened",)
HOME_TAB = "home"


class AppHome:
    """Welcomes people the first time they open the App Home, and draws its Home tab."""

    def __init__(self, core: SurfaceCore, directory: Directory) -> None:
        self._core = core
        self._directory = directory

    def register(self, app: AsyncApp) -> None:
        """Attach the listener to the bolt app."""
        app.event(HOME_EVENTS[0])(self.on_opened)

    async def on_opened(
        self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        """The App Home opened: the welcome, once per person; the Home tab, every time."""
        actor = await self._directory.actor(client, workspace_of(context), event["user"])
        await self._core.ensure_tenant_once(actor.tenant_id)
        await queue_welcome(self._core.services, actor)
        if event.get("tab") != HOME_TAB:
            return
        reply = await self._core.handle(actor, ShowHome())
        buttons = await self._core.buttons.values(reply, actor)
        await client.views_publish(
            user_id=actor.user_id, view=home_view(reply, buttons.__getitem__)
        )
