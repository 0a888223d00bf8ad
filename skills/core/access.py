"""Who may do what: manager checks, made on the server for every action, and audited refusals
that say who the managers are."""

from skills.core.context import Actor
from skills.core.scope import Scope
from skills.replies import Paragraph, Reply, ReplyKind
from skills.text.i18n import Translator
from skills.text.mentions import mention
from storage.models import Client, Tenant


def is_manager(tenant: Tenant, actor: Actor) -> bool:
    """Managers are the tenant's list; while it is empty, the workspace's admins act as managers."""
    if actor.is_guest:
        return False
    if tenant.manager_ids:
        return actor.user_id in tenant.manager_ids
    return actor.is_admin


def managers_named(tenant: Tenant) -> list[str]:
    """The tenant's managers as mentions, for each surface to draw as its own."""
    return [mention(manager) for manager in tenant.manager_ids]


def who_manages(t: Translator, tenant: Tenant) -> str:
    """One sentence naming the managers, or saying who stands in while there are none."""
    managers = managers_named(tenant)
    if not managers:
        return t._(
            "Until someone names the managers, the workspace's admins and owners act as managers."
        )
    return t.n_(
        "The manager is {managers}.",
        "The managers are {managers}.",
        len(managers),
        managers=t.list_of(managers),
    )


def may_assess(tenant: Tenant, actor: Actor, client: Client) -> bool:
    """Managers assess a client and work its playbook, and so does its account owner."""
    return is_manager(tenant, actor) or (not actor.is_guest and client.owner_id == actor.user_id)


def may_see_reporter(tenant: Tenant, actor: Actor, reporter_id: str) -> bool:
    """Reporters are named to managers and to themselves; other staff see "a teammate"."""
    return actor.user_id == reporter_id or is_manager(tenant, actor)


async def refuse(
    scope: Scope, action: str, *, reason: str, subject: tuple[str, str] = ("", "")
) -> Reply:
    """Record the refused attempt in the audit trail and tell the person why (and, for a
    manager's action, whom to ask)."""
    await scope.audit(action, subject=subject, outcome="refused", reason=reason)
    await scope.uow.commit()
    t = scope.t
    if reason == "guest":
        text = t._("Guests and people from outside the organisation cannot use Yellowcard.")
    elif scope.tenant.manager_ids:
        text = t._(
            "Only managers can do that. Ask {managers}.",
            managers=t.one_of(managers_named(scope.tenant)),
        )
    else:
        text = t._("Only managers can do that. Ask one of the workspace's admins.")
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
