"""Who is asking, as Slack says: guest or not, admin or not, their locale and organisation.

users.info is cached for a few minutes: Slack's rate limits forbid a call on every request, and
a role change reaching Yellowcard a few minutes late is acceptable.
"""

from dataclasses import dataclass

from cachetools import TTLCache
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from skills.core.context import Actor, Services

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


@dataclass(frozen=True)
class Workspace:
    """The installation a request came through: a workspace, or a Grid organisation for an
    org-wide install.

    Taken from the installation that authorised the request, never from the payload's
    top-level team, which in a Slack Connect channel is the other organisation's.
    """

    team_id: str | None
    enterprise_id: str | None
    org_wide: bool = False

    @property
    def tenant_id(self) -> str:
        """The tenant this installation is."""
        if self.org_wide and self.enterprise_id:
            return f"slack:{self.enterprise_id}"
        return f"slack:{self.team_id}"

    @property
    def organisations(self) -> set[str]:
        """The installation's own workspace and Grid organisation: never a client's."""
        return {team for team in (self.team_id, self.enterprise_id) if team}


def workspace_of(context: AsyncBoltContext) -> Workspace:
    """The installation that authorised a bolt request."""
    result = context.authorize_result
    if result is None:
        raise LookupError("the request was not authorised by an installation")
    return workspace_from(result, org_wide=bool(context.is_enterprise_install))


def workspace_from(result: AuthorizeResult, *, org_wide: bool) -> Workspace:
    """The installation an authorisation found."""
    return Workspace(result.team_id, result.enterprise_id, org_wide)


class Directory:
    """users.info with a short cache."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._people: TTLCache[tuple[str, str], Person] = TTLCache(CACHE_SIZE, CACHE_SECONDS)

    async def person(self, client: AsyncWebClient, workspace: Workspace, user_id: str) -> Person:
        """The user's facts, from the cache or from Slack."""
        key = (workspace.tenant_id, user_id)
        cached = self._people.get(key)
        if cached is not None:
            return cached
        response = await client.users_info(user=user_id, include_locale=True)
        user = response["user"]
        profile = user.get("profile") or {}
        # Only the installation's ids: the payload's can be another organisation's.
        user_enterprise = (user.get("enterprise_user") or {}).get("enterprise_id")
        external = user.get("team_id") != workspace.team_id and not (
            workspace.enterprise_id and user_enterprise == workspace.enterprise_id
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

    async def actor(self, client: AsyncWebClient, workspace: Workspace, user_id: str) -> Actor:
        """The person as the skills see them, in the language they chose or Slack's."""
        person = await self.person(client, workspace, user_id)
        return Actor(
            tenant_id=workspace.tenant_id,
            user_id=person.user_id,
            display_name=person.name,
            locale=await self._services.locale_of(workspace.tenant_id, user_id, person.locale),
            is_admin=person.is_admin,
            is_guest=person.is_guest,
        )
