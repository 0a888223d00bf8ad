"""What every chat surface does the same way, whatever the platform: handle a command in the
person's language, set a tenant up once, and park a form between the request that draws it and
the one that submits it.

Slack's and Teams' surfaces and channel listeners each hold one ``SurfaceCore`` (with their
platform's button codec) instead of the services, the codec and the default language apart.
"""

from collections.abc import Mapping

from bot.buttons import ButtonCodec
from skills.commands import Command, Expired
from skills.core.context import Actor, Services
from skills.core.forms import park_command, parked_command, submitted_command
from skills.core.tenancy import ensure_tenant, tenant_exists
from skills.dispatch import handle_or_apologise
from skills.replies import Form, Reply
from skills.text.i18n import Translator, supported_language, translator


class SurfaceCore:
    """The services, the button codec and the default language of one platform's surface,
    with what its handlers share."""

    def __init__(
        self, services: Services, buttons: ButtonCodec, default_language: str, platform: str
    ) -> None:
        self.services = services
        self.buttons = buttons
        self.default_language = default_language
        self.platform = platform
        # Tenants known to exist: a tenant once set up stays set up, so each is asked about
        # (or created) once per process, not on every request and overheard message.
        self._known_tenants: set[str] = set()

    async def handle(self, actor: Actor, command: Command) -> Reply:
        """The command's reply; an apology in the person's language when it fails."""
        return await handle_or_apologise(self.services, actor, command, self.default_language)

    def translator(self, locale: str | None) -> Translator:
        """The language of ``locale`` when Yellowcard speaks it, else the default."""
        return translator(supported_language(locale) or self.default_language)

    async def ensure_tenant_once(
        self, tenant_id: str, *, language: str | None = None, founder: Actor | None = None
    ) -> None:
        """Set the tenant up unless this process already knows it (``founder`` becomes the
        first manager of a new one)."""
        if tenant_id in self._known_tenants:
            return
        await ensure_tenant(
            self.services,
            tenant_id=tenant_id,
            platform=self.platform,
            language=language or self.default_language,
            founder=founder,
        )
        self._known_tenants.add(tenant_id)

    async def is_set_up(self, tenant_id: str) -> bool:
        """Whether the tenant exists (was installed), without creating it."""
        if tenant_id in self._known_tenants:
            return True
        if not await tenant_exists(self.services, tenant_id):
            return False
        self._known_tenants.add(tenant_id)
        return True

    async def park_form(self, actor: Actor, form: Form) -> str:
        """Keep the form's command for ``actor``; the short id the platform carries."""
        return await park_command(self.services, actor, form.command)

    async def submitted(
        self, actor: Actor, parked_id: str, values: Mapping[str, str | None], key: str
    ) -> Command:
        """The parked command filled with the submitted ``values`` and keyed by the submission
        (``key``), or ``Expired`` when it is gone or not this person's."""
        parked = await parked_command(self.services, actor, parked_id)
        if parked is None:
            return Expired("form")
        return submitted_command(parked, values, key)
