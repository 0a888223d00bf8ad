"""The scope of one request: its transaction, tenant, person, language and time."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from skills.core.context import Actor, Services, translator_for
from skills.core.languages import PersonalLanguages
from skills.strikes.policy import Policy
from skills.text.i18n import Translator
from skills.text.limits import clip
from storage.models import AuditEvent, Tenant
from storage.unit_of_work import UnitOfWork

# The audit table's subject column; a refused request may name anything the person typed.
SUBJECT_LIMIT = 200


class UnknownTenantError(LookupError):
    """The request names a tenant that was never set up (surfaces set tenants up first)."""


@dataclass
class Scope:
    """Everything a skill works with while it answers one request."""

    uow: UnitOfWork
    actor: Actor
    tenant: Tenant
    t: Translator
    now: datetime
    # The process's cache of the languages people chose (kept current when one changes).
    languages: PersonalLanguages
    # The key webhook signing secrets are kept under (``Services.secrets_key``).
    secrets_key: str | None = field(default=None, repr=False)

    @property
    def policy(self) -> Policy:
        """The tenant's strike policy."""
        return Policy(
            threshold=self.tenant.threshold,
            window_days=self.tenant.window_days,
            non_payment_red_after_days=self.tenant.non_payment_red_after_days,
        )

    async def audit(
        self,
        action: str,
        *,
        subject: tuple[str, str] = ("", ""),
        outcome: str = "ok",
        **detail: Any,
    ) -> None:
        """Append an audit event by this request's person, at this request's time."""
        await self.uow.audit.record(AuditEvent(**self._event(action, subject, outcome, detail)))

    async def audit_each(
        self, events: Sequence[tuple[str, tuple[str, str], dict[str, Any]]]
    ) -> None:
        """``audit`` for many events at once, each ``(action, subject, detail)``: one insert
        for an import's thousands of clients, where building each event took much of its time."""
        await self.uow.audit.record_many(
            [self._event(action, subject, "ok", detail) for action, subject, detail in events]
        )

    def _event(
        self, action: str, subject: tuple[str, str], outcome: str, detail: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant.id,
            "at": self.now,
            "actor_id": self.actor.user_id,
            "action": action,
            "outcome": outcome,
            "subject_type": subject[0],
            "subject_id": clip(subject[1], SUBJECT_LIMIT),
            "detail": detail,
        }


@asynccontextmanager
async def open_scope(services: Services, actor: Actor) -> AsyncIterator[Scope]:
    """Open a transaction and load the actor's tenant (as this process cached it: see
    ``storage.tenant_cache`` for how stale it may be); leaving without commit rolls back."""
    async with services.unit_of_work() as uow:
        tenant = await uow.tenants.current(actor.tenant_id, now=services.clock())
        if tenant is None:
            raise UnknownTenantError(actor.tenant_id)
        yield Scope(
            uow=uow,
            actor=actor,
            tenant=tenant,
            t=translator_for(actor, tenant),
            now=services.clock(),
            languages=services.languages,
            secrets_key=services.secrets_key,
        )
