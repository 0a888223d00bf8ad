"""The welcome: what a person reads the first time Yellowcard meets them (the person who installs
it in Teams, someone opening its App Home in Slack): who manages Yellowcard here, and what to do
first. Each person is welcomed once, through the outbox."""

from skills.commands import ReportIncident, ShowHelp, ShowSettings
from skills.core.access import is_manager, who_manages
from skills.core.context import Actor, Services
from skills.core.scope import Scope
from skills.outbox.messages import welcome_message
from skills.replies import Actions, Button, ButtonStyle, Heading, Paragraph, Reply, ReplyKind


async def queue_welcome(services: Services, actor: Actor) -> bool:
    """Queue the person's welcome unless they were welcomed before; whether it was queued.
    Guests are not welcomed: there is nothing they may use."""
    if actor.is_guest:
        return False
    async with services.unit_of_work() as uow:
        now = services.clock()
        if not await uow.people.welcome(actor.tenant_id, actor.user_id, now):
            return False
        message = welcome_message(
            actor.tenant_id, actor.user_id, admin=actor.is_admin, locale=actor.locale, now=now
        )
        await uow.outbox.add(message)
        await uow.commit()
    return True


def welcome(scope: Scope, *, set_up: bool = False) -> Reply:
    """The welcome as the person sees it now (``set_up``: they just set Yellowcard up, and are
    its first manager)."""
    t = scope.t
    tenant = scope.tenant
    manager = is_manager(tenant, scope.actor)
    blocks: list[Heading | Paragraph | Actions] = [Heading(t._("Welcome to Yellowcard"))]
    if set_up:
        blocks.append(
            Paragraph(
                t._(
                    "Yellowcard is now set up for your organisation, with you as its first manager."
                )
            )
        )
    blocks.append(
        Paragraph(
            t.n_(
                "The staff report what clients do. A client with {count} active strike is "
                "over the threshold, and the managers decide what happens next.",
                "The staff report what clients do. A client with {count} active strikes is "
                "over the threshold, and the managers decide what happens next.",
                tenant.threshold,
            )
        )
    )
    if manager and tenant.manager_ids:
        blocks.append(
            Paragraph(
                t._(
                    "You are a manager: Yellowcard asks you to decide when a client crosses "
                    "the threshold, and you can change the settings and add managers."
                )
            )
        )
    elif manager:
        blocks.append(
            Paragraph(
                t._(
                    "You are one of the workspace's admins, who act as managers until someone "
                    "names the managers."
                )
            )
        )
    blocks.append(Paragraph(who_manages(t, tenant)))
    steps = [
        t._("Report a client: /report-client, or Report client in a message's menu."),
        t._("See a client: /client <client>. Every client, riskiest first: /client list."),
    ]
    if manager:
        steps += [
            t._("Link a support channel to its client: type /client link <client> in it."),
            t._("Add managers: /client settings managers add @person."),
            t._(
                "Post the weekly risk summary in a channel: /client settings summary-channels "
                "#channel (in Teams, type summary-channels here in the channel)."
            ),
        ]
    steps.append(t._("Every command: /client help."))
    buttons = [Button(t._("Report a client"), ReportIncident(), ButtonStyle.PRIMARY)]
    if manager:
        buttons.append(Button(t._("Settings"), ShowSettings()))
    buttons.append(Button(t._("Help"), ShowHelp()))
    blocks += [
        Heading(t._("What to do next")),
        Paragraph("\n".join(f"• {step}" for step in steps)),
        Actions(tuple(buttons)),
    ]
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=tuple(blocks),
        data={
            "welcome": scope.actor.user_id,
            "manager": manager,
            "managers": list(tenant.manager_ids),
            "set_up": set_up,
        },
    )
