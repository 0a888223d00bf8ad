"""Setting up a tenant the first time someone from it shows up, asking whether it was, and the
two ways out when a platform never said it was installed: a person of a tenant with no
installation sets it up (``set up`` in Teams), or an operator records the installation."""

from skills.core.access import who_manages
from skills.core.context import SYSTEM_USER, Actor, Services
from skills.core.scope import open_scope
from skills.core.welcome import welcome
from skills.replies import Paragraph, Reply, ReplyKind
from skills.text.i18n import DEFAULT_LANGUAGE, supported_language, translator
from storage.models import AuditEvent, Tenant

# Who an operator's command acts as, in the audit trail.
OPERATOR = "operator"


async def ensure_tenant(
    services: Services,
    *,
    tenant_id: str,
    platform: str,
    name: str = "",
    language: str = DEFAULT_LANGUAGE,
    founder: Actor | None = None,
) -> Tenant:
    """The tenant, created with default policy when new.

    ``founder`` becomes the first manager of a new tenant (the local shell's first user, the
    person who installed the app in Teams); in Slack the workspace's admins act as managers
    until the list is set.
    """
    tenant, _created = await _create(
        services,
        tenant_id=tenant_id,
        platform=platform,
        name=name,
        language=language,
        founders=[founder.user_id] if founder else [],
        by=founder.user_id if founder else SYSTEM_USER,
        how="installed",
    )
    return tenant


async def _create(
    services: Services,
    *,
    tenant_id: str,
    platform: str,
    language: str,
    founders: list[str],
    by: str,
    how: str,
    name: str = "",
) -> tuple[Tenant, bool]:
    """The tenant, and whether this call created it (with ``founders`` as its managers)."""
    now = services.clock()
    async with services.unit_of_work() as uow:
        candidate = Tenant(
            id=tenant_id,
            platform=platform,
            name=name,
            language=language,
            created_at=now,
            manager_ids=founders,
        )
        tenant, created = await uow.tenants.get_or_create(candidate)
        if created:
            await uow.audit.record(
                AuditEvent(
                    tenant_id=tenant_id,
                    at=now,
                    actor_id=by,
                    action="tenant.created",
                    subject_type="tenant",
                    subject_id=tenant_id,
                    detail={"managers": list(tenant.manager_ids), "how": how},
                )
            )
        await uow.commit()
        return tenant, created


async def tenant_exists(services: Services, tenant_id: str) -> bool:
    """Whether the tenant was set up (a Teams tenant: whether it installed the app)."""
    async with services.unit_of_work() as uow:
        return await uow.tenants.get(tenant_id) is not None


async def set_up_missed_installation(
    services: Services, actor: Actor, *, platform: str, language: str
) -> Reply:
    """``set up``: a person of a tenant that has no installation (the platform's install event
    never arrived) sets it up, with themselves as its first manager, and is welcomed. That is
    the power installing the app gives, so it is refused once the tenant has an installation,
    and to guests."""
    if actor.is_guest:
        t = translator(supported_language(actor.locale) or language)
        text = t._("Guests and people from outside the organisation cannot use Yellowcard.")
        return Reply(
            ReplyKind.REFUSED, (Paragraph(text),), {"refused": "tenant.set_up", "reason": "guest"}
        )
    _tenant, created = await _create(
        services,
        tenant_id=actor.tenant_id,
        platform=platform,
        language=language,
        founders=[actor.user_id],
        by=actor.user_id,
        how="set up",
    )
    async with open_scope(services, actor) as scope:
        if not created:
            await scope.audit("tenant.set_up", outcome="refused", reason="installed")
            await scope.uow.commit()
            t = scope.t
            already = t._(
                "Yellowcard is already set up for your organisation, so only its managers can "
                "add managers."
            )
            text = t.sentences([already, who_manages(t, scope.tenant)])
            data = {"refused": "tenant.set_up", "reason": "installed"}
            return Reply(ReplyKind.REFUSED, (Paragraph(text),), data)
        await scope.uow.people.welcome(actor.tenant_id, actor.user_id, scope.now)
        await scope.uow.commit()
        return welcome(scope, set_up=True)


async def record_installation(
    services: Services, tenant_id: str, *, platform: str, manager_id: str, language: str
) -> bool:
    """An operator records that ``tenant_id`` installed the app, with ``manager_id`` as a
    manager: the tenant is created with them as its first manager, or they are added to its
    managers. Whether the tenant was created."""
    tenant, created = await _create(
        services,
        tenant_id=tenant_id,
        platform=platform,
        language=language,
        founders=[manager_id],
        by=OPERATOR,
        how="recorded by an operator",
    )
    if created or manager_id in tenant.manager_ids:
        return created
    async with services.unit_of_work() as uow:
        locked = await uow.tenants.lock(tenant_id)
        assert locked is not None, "tenants are never deleted"
        before = list(locked.manager_ids)
        if manager_id not in before:
            locked.manager_ids = [*before, manager_id]
            await uow.tenants.save(locked)
            await uow.audit.record(
                AuditEvent(
                    tenant_id=tenant_id,
                    at=services.clock(),
                    actor_id=OPERATOR,
                    action="settings.changed",
                    subject_type="setting",
                    subject_id="managers",
                    detail={"before": before, "after": locked.manager_ids},
                )
            )
        await uow.commit()
    return False


async def record_installation_removed(
    services: Services, tenant_id: str, *, what: str, detail: dict[str, object]
) -> None:
    """Write down that the platform took the app's access away (``what``: the app was
    uninstalled, or tokens were revoked); nothing happens for a tenant never set up. The
    tenant's records stay: a reinstall finds them. An uninstall also revokes the tenant's
    signals API tokens: a team that removed Yellowcard expects nothing to keep writing to it
    (a reinstall makes new ones, docs/api.md)."""
    async with services.unit_of_work() as uow:
        if await uow.tenants.get(tenant_id) is None:
            return
        if what == "uninstalled":
            detail = {
                **detail,
                "api_tokens_revoked": await uow.api_tokens.revoke_all(
                    tenant_id, at=services.clock(), by=SYSTEM_USER
                ),
            }
        await uow.audit.record(
            AuditEvent(
                tenant_id=tenant_id,
                at=services.clock(),
                actor_id=SYSTEM_USER,
                action=f"installation.{what}",
                subject_type="tenant",
                subject_id=tenant_id,
                detail=detail,
            )
        )
        await uow.commit()
