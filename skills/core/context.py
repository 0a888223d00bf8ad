"""Who is asking, and the services every skill is handed: a unit of work and a clock."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from skills.core.languages import PersonalLanguages
from skills.text.i18n import Translator, supported_language, translator
from storage.models import Tenant
from storage.tenant_cache import TenantCache
from storage.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]

# Who scheduled and background work acts as, in the audit trail and when drawing messages.
SYSTEM_USER = "yellowcard"


def system_clock() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """The person a request comes from, as the surface identified them."""

    tenant_id: str
    user_id: str
    display_name: str
    locale: str | None = None
    is_admin: bool = False
    is_guest: bool = False


@dataclass(frozen=True)
class Services:
    """What skills need from the outside world."""

    session_factory: async_sessionmaker[AsyncSession]
    clock: Clock = system_clock
    # The languages people chose for themselves, cached for this process.
    languages: PersonalLanguages = field(default_factory=PersonalLanguages)
    # Tenants and their policy as this process last read them, for a few seconds.
    tenants: TenantCache = field(default_factory=TenantCache)
    # The Fernet key webhook signing secrets are encrypted with (SECRETS_KEY); never shown.
    secrets_key: str | None = field(default=None, repr=False)

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work (use with ``async with``)."""
        return UnitOfWork(self.session_factory, self.tenants)

    async def locale_of(
        self, tenant_id: str, user_id: str, platform_locale: str | None
    ) -> str | None:
        """The locale to speak to a person in: the language they chose for themselves, else
        their platform's."""
        return await self.languages.locale(self.unit_of_work, tenant_id, user_id, platform_locale)


def system_actor(tenant_id: str) -> Actor:
    """Yellowcard itself, acting in a tenant (the scheduler, the dispatcher)."""
    return Actor(tenant_id, SYSTEM_USER, "Yellowcard")


def translator_for(actor: Actor, tenant: Tenant) -> Translator:
    """The person's language if we speak it, else the tenant's."""
    language = supported_language(actor.locale) or supported_language(tenant.language) or "en"
    return translator(language)
