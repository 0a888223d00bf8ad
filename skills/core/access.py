"""Who may do what: manager checks, made on the server for every action, and audited refusals."""

from skills.core.context import Actor
from skills.core.scope import Scope
from skills.replies import Paragraph, Reply, ReplyKind
from storage.models import Client, Tenant


def is_manager(tenant: Tenant, actor: Actor) -> bool:
    """Managers are the tenant's list; while it is empty, the workspace's admins act as managers."""
    if actor.is_guest:
        return False
    if tenant.manager_ids:
        return actor.user_id in tenant.manager_ids
    return actor.is_admin


def may_assess(tenant: Tenant, actor: Actor, client: Client) -> bool:
    """Managers assess a client and work its playbook, and so does its account owner."""
    return is_manager(tenant, actor) or (not actor.is_guest and client.owner_id == actor.user_id)


def may_see_reporter(tenant: Tenant, actor: Actor, reporter_id: str) -> bool:
    """Reporters are named to managers and to themselves; other staff see "a teammate"."""
    return actor.user_id == reporter_id or is_manager(tenant, actor)


async def refuse(
    scope: Scope, action: str, *, reason: str, subject: tuple[str, str] = ("", "")
) -> Reply:
    """Record the refused attempt in the audit trail and tell the person why."""
    await scope.audit(action, subject=subject, outcome="refused", reason=reason)
    await scope.uow.commit()
    t = scope.t
    if reason == "guest":
        text = t._("Guests and people from outside the organisation cannot use Yellowcard.")
    else:
        text = t._("Only managers can do that. Ask one of your managers.")
    return Reply(
        kind=ReplyKind.REFUSED,
        blocks=(Paragraph(text),),
        data={"refused": action, "reason": reason},
    )


async def require_manager(scope: Scope, action: str, subject: tuple[str, str]) -> Reply | None:
    """None when the person is a manager; otherwise the audited refusal to send back."""
    if is_manager(scope.tenant, scope.actor):
        return None
    return await refuse(scope, action, reason="not_manager", subject=subject)
