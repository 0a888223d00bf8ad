"""Slack's notifier: direct messages to managers, the weekly summary in channels, updating a
ping in place, and files (the summary's chart, a client's export) (chat.postMessage,
chat.update, files upload, conversations.info).

Its Web API client has no retry handlers of its own: a 429 or an outage goes back to the
outbox, which retries with backoff and honours ``Retry-After`` across restarts.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.buttons import ButtonCodec
from bot.settings import Settings
from bot.slack.render import fallback_text, message_blocks
from bot.worker.notifier import Delivered, DeliveryError
from skills.core.context import Actor
from skills.outbox.files import OutgoingFile
from skills.replies import Reply
from skills.summary.chart import Chart

PLATFORM = "slack"
USERS_PAGE = 200
# Slack errors no retry can mend: the message needs a person (docs/operations.md).
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "message_not_found",
        "cant_update_message",
        "is_archived",
        "missing_scope",
        "msg_too_long",
        "no_permission",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_not_found",
    }
)


class SlackNotifier:
    """Sends to the Slack workspace (or Grid organisation) behind each tenant."""

    platform = PLATFORM

    def __init__(
        self,
        settings: Settings,
        codec: ButtonCodec,
        installations: AsyncInstallationStore | None,
        timeout: timedelta,
    ) -> None:
        self._settings = settings
        self._timeout = max(int(timeout.total_seconds()), 1)
        self._codec = codec
        self._installations = installations
        self._single_tenant: frozenset[str] | None = None

    async def tenants(self) -> frozenset[str] | None:
        """With OAuth, every installed workspace; with one token, the workspace it belongs to
        (asked once with auth.test), so another workspace's messages are never sent with it."""
        if self._installations is not None:
            return None
        if self._single_tenant is None:
            async with self._calling("") as client:
                found = await client.auth_test()
            grid = found.get("is_enterprise_install") and found.get("enterprise_id")
            workspace = found.get("enterprise_id") if grid else found.get("team_id")
            self._single_tenant = frozenset({f"{PLATFORM}:{workspace}"})
        return self._single_tenant

    async def admins(self, tenant_id: str) -> list[str]:
        """Admins and owners who are full members of the workspace."""
        people: list[str] = []
        cursor: str | None = None
        async with self._calling(tenant_id) as client:
            while True:
                page = await client.users_list(limit=USERS_PAGE, cursor=cursor)
                for user in page.get("members") or []:
                    if _is_admin(user):
                        people.append(str(user["id"]))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return people

    async def is_shared_externally(self, tenant_id: str, recipient: str) -> bool:
        """Slack Connect channels (and those invited to it) are shared with another
        organisation; a person's id means a direct message, which is private."""
        if recipient[:1] in {"U", "W"}:
            return False
        async with self._calling(tenant_id) as client:
            found = await client.conversations_info(channel=recipient)
        channel = found.get("channel") or {}
        return bool(channel.get("is_ext_shared") or channel.get("is_pending_ext_shared"))

    async def post(self, tenant_id: str, recipient: str, reply: Reply, reader: Actor) -> Delivered:
        """chat.postMessage; a person's id as the channel opens the app's DM with them."""
        buttons = await self._codec.values(reply, reader)
        async with self._calling(tenant_id) as client:
            sent = await client.chat_postMessage(
                channel=recipient,
                text=fallback_text(reply),
                blocks=message_blocks(reply, buttons.__getitem__),
                unfurl_links=False,
            )
        return Delivered(str(sent["channel"]), str(sent["ts"]))

    async def update(
        self, tenant_id: str, delivered: Delivered, reply: Reply, reader: Actor
    ) -> None:
        """chat.update of a message the bot sent."""
        buttons = await self._codec.values(reply, reader)
        async with self._calling(tenant_id) as client:
            await client.chat_update(
                channel=delivered.channel,
                ts=delivered.message_id,
                text=fallback_text(reply),
                blocks=message_blocks(reply, buttons.__getitem__),
            )

    async def attach(
        self, tenant_id: str, recipient: str, delivered: Delivered, chart: Chart
    ) -> None:
        """Upload the chart into the message's thread, with its alt text."""
        async with self._calling(tenant_id) as client:
            await client.files_upload_v2(
                channel=delivered.channel,
                thread_ts=delivered.message_id,
                file=chart.png,
                filename=chart.filename,
                title=chart.title,
                alt_txt=chart.alt_text,
            )

    async def send_file(
        self, tenant_id: str, recipient: str, delivered: Delivered, file: OutgoingFile, offer: str
    ) -> None:
        """Upload the file into the direct message the introducing message opened (a file
        needs the conversation's id, which only that message's answer gives without another
        scope). Slack asks nobody first, so ``offer`` goes unused."""
        async with self._calling(tenant_id) as client:
            await client.files_upload_v2(
                channel=delivered.channel,
                file=file.content,
                filename=file.filename,
                title=file.title,
            )

    async def put_file(
        self, tenant_id: str, recipient: str, file: OutgoingFile, destination: Mapping[str, str]
    ) -> Delivered:
        """Never asked for: Slack takes a file without asking the person, so no Slack offer is
        ever answered. Parked if it ever is."""
        raise DeliveryError("Slack takes files without an offer to answer", permanent=True)

    @asynccontextmanager
    async def _calling(self, tenant_id: str) -> AsyncIterator[AsyncWebClient]:
        """A client with the tenant's token; Slack's failures as ``DeliveryError``."""
        client = AsyncWebClient(
            token=await self._token(tenant_id),
            base_url=self._settings.slack_api_url,
            timeout=self._timeout,
        )
        try:
            yield client
        except SlackApiError as error:
            raise _delivery_error(error) from error
        except (SlackRequestError, aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Slack unreachable: {type(error).__name__}") from error

    async def _token(self, tenant_id: str) -> str:
        if self._installations is None:
            token = self._settings.slack_bot_token
            if token is None:
                raise DeliveryError("no Slack bot token is configured", permanent=True)
            return token.get_secret_value()
        workspace = tenant_id.removeprefix(f"{PLATFORM}:")
        grid = workspace.startswith("E")
        bot = await self._installations.async_find_bot(
            enterprise_id=workspace if grid else None,
            team_id=None if grid else workspace,
            is_enterprise_install=grid,
        )
        if bot is None or not bot.bot_token:
            raise DeliveryError("Yellowcard is no longer installed there", permanent=True)
        return bot.bot_token


def _delivery_error(error: SlackApiError) -> DeliveryError:
    response = error.response
    body = response.data if isinstance(response.data, dict) else {}
    code = str(body.get("error") or f"HTTP {response.status_code}")
    if response.status_code == 429:
        retry_after = _seconds(response.headers.get("Retry-After"))
        return DeliveryError(f"Slack rate limit ({code})", retry_after=retry_after)
    return DeliveryError(f"Slack error: {code}", permanent=code in PERMANENT_ERRORS)


def _seconds(value: Any) -> float | None:
    try:
        return float(value[0] if isinstance(value, list) else value)
    except (TypeError, ValueError):
        return None


def _is_admin(user: dict[str, Any]) -> bool:
    return bool(
        (user.get("is_admin") or user.get("is_owner"))
        and not user.get("deleted")
        and not user.get("is_bot")
        and not user.get("is_restricted")
        and not user.get("is_ultra_restricted")
    )
