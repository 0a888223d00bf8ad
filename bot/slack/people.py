"""Who is asking, as Slack says: guest or not, admin or not, their locale and organisation.

users.info is cached for a few minutes: Slack's rate limits forbid a call on every request, and
a role change reaching Yellowcard a few minutes late is acceptable.
"""

from dataclasses import dataclass

from cachetools import TTLCache
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from skills.context import Actor

CACHE_SECONDS = 300
CACHE_SIZE = 10_000


@dataclass(frozen=True)
class Person:
    """What Yellowcard needs to know of a Slack user."""

    user_id: str
    name: str
    team_id: str
    enterprise_id: str | None
    locale: str | None
    is_admin: bool
    is_guest: bool


def tenant_of(context: AsyncBoltContext) -> str:
    """The workspace (or Grid organisation, for org-wide installs) that installed the app.

    Taken from the installation that authorised the request, never from the payload's
    top-level team, which in a Slack Connect channel is the other organisation's.
    """
    result = context.authorize_result
    if result is None:
        raise LookupError("the request was not authorised by an installation")
    if context.is_enterprise_install and result.enterprise_id:
        return f"slack:{result.enterprise_id}"
    return f"slack:{result.team_id}"


class Directory:
    """users.info with a short cache."""

    def __init__(self) -> None:
        self._people: TTLCache[tuple[str, str], Person] = TTLCache(CACHE_SIZE, CACHE_SECONDS)

    async def person(
        self, client: AsyncWebClient, context: AsyncBoltContext, user_id: str
    ) -> Person:
        """The user's facts, from the cache or from Slack."""
        key = (tenant_of(context), user_id)
        cached = self._people.get(key)
        if cached is not None:
            return cached
        response = await client.users_info(user=user_id, include_locale=True)
        user = response["user"]
        profile = user.get("profile") or {}
        # Only the installation's ids: the payload's can be another organisation's.
        installed = context.authorize_result
        installed_team = installed.team_id if installed else None
        installed_enterprise = installed.enterprise_id if installed else None
        user_enterprise = (user.get("enterprise_user") or {}).get("enterprise_id")
        external = user.get("team_id") != installed_team and not (
            installed_enterprise and user_enterprise == installed_enterprise
        )
        person = Person(
            user_id=user_id,
            name=profile.get("display_name")
            or user.get("real_name")
            or user.get("name")
            or user_id,
            team_id=str(user.get("team_id")),
            enterprise_id=user_enterprise,
            locale=user.get("locale"),
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            is_guest=bool(
                user.get("is_restricted")
                or user.get("is_ultra_restricted")
                or user.get("is_stranger")
                or external
            ),
        )
        self._people[key] = person
        return person

    async def actor(self, client: AsyncWebClient, context: AsyncBoltContext, user_id: str) -> Actor:
        """The person as the skills see them."""
        person = await self.person(client, context, user_id)
        return Actor(
            tenant_id=tenant_of(context),
            user_id=person.user_id,
            display_name=person.name,
            locale=person.locale,
            is_admin=person.is_admin,
            is_guest=person.is_guest,
        )
