"""Setting up a tenant the first time someone from it shows up, and asking whether it was."""

from skills.core.context import SYSTEM_USER, Actor, Services
from skills.text.i18n import DEFAULT_LANGUAGE
from storage.models import AuditEvent, Tenant


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

    ``founder`` becomes the first manager of a new tenant (the local shell's first user); on
    chat platforms the workspace's admins act as managers until the list is set.
    """
    now = services.clock()
    async with services.unit_of_work() as uow:
        candidate = Tenant(
            id=tenant_id,
            platform=platform,
            name=name,
            language=language,
            created_at=now,
            manager_ids=[founder.user_id] if founder else [],
        )
        tenant, created = await uow.tenants.get_or_create(candidate)
        if created:
            await uow.audit.record(
                AuditEvent(
                    tenant_id=tenant_id,
                    at=now,
                    actor_id=founder.user_id if founder else "system",
                    action="tenant.created",
                    subject_type="tenant",
                    subject_id=tenant_id,
                    detail={"managers": list(tenant.manager_ids)},
                )
            )
        await uow.commit()
        return tenant


async def tenant_exists(services: Services, tenant_id: str) -> bool:
    """Whether the tenant was set up (a Teams tenant: whether it installed the app)."""
    async with services.unit_of_work() as uow:
        return await uow.tenants.get(tenant_id) is not None


async def record_installation_removed(
    services: Services, tenant_id: str, *, what: str, detail: dict[str, object]
) -> None:
    """Write down that the platform took the app's access away (``what``: the app was
    uninstalled, or tokens were revoked); nothing happens for a tenant never set up. The
    tenant's records stay: a reinstall finds them."""
    async with services.unit_of_work() as uow:
        if await uow.tenants.get(tenant_id) is None:
            return
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
