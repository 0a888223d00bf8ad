"""``/client forget <client>``: managers delete a client's data, after seeing what will go."""

import dataclasses
from collections.abc import Callable

from skills.clients.lookup import client_or_suggestions
from skills.commands import ForgetClient
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import Actions, Button, ButtonStyle, Heading, Paragraph, Reply, ReplyKind
from skills.text.i18n import Translator

# What went, by the kinds storage counts (ForgettingRepository.forget), each with its plural.
DELETED: dict[str, Callable[[Translator, int], str]] = {
    "evidence": lambda t, n: t.n_(
        "{count} piece of added evidence", "{count} pieces of added evidence", n
    ),
    "disputes": lambda t, n: t.n_("{count} dispute", "{count} disputes", n),
    "decisions": lambda t, n: t.n_("{count} decision", "{count} decisions", n),
    "messages": lambda t, n: t.n_("{count} message to managers", "{count} messages to managers", n),
    "escalations": lambda t, n: t.n_("{count} escalation", "{count} escalations", n),
    "suggestions": lambda t, n: t.n_("{count} suggested report", "{count} suggested reports", n),
    "reports": lambda t, n: t.n_("{count} report", "{count} reports", n),
    "assessments": lambda t, n: t.n_("{count} assessment", "{count} assessments", n),
    "playbook": lambda t, n: t.n_(
        "{count} ticked playbook step", "{count} ticked playbook steps", n
    ),
    "channel_links": lambda t, n: t.n_("{count} channel link", "{count} channel links", n),
    "signals": lambda t, n: t.n_(
        "{count} week of contact counters", "{count} weeks of contact counters", n
    ),
    "api_signals": lambda t, n: t.n_(
        "{count} ticket, touch point or invoice from other systems",
        "{count} tickets, touch points and invoices from other systems",
        n,
    ),
    "matched_accounts": lambda t, n: t.n_(
        "{count} billing or help-desk account matched to it",
        "{count} billing or help-desk accounts matched to it",
        n,
    ),
    "questions": lambda t, n: t.n_(
        "{count} unanswered question", "{count} unanswered questions", n
    ),
    "dialogs": lambda t, n: t.n_("{count} assessment session", "{count} assessment sessions", n),
    "audit": lambda t, n: t.n_("{count} audit event", "{count} audit events", n),
    "client": lambda t, n: t.n_("{count} client record", "{count} client records", n),
}


async def forget_client(scope: Scope, command: ForgetClient) -> Reply:
    """Ask first; once confirmed, delete the client with its reports, evidence, assessments,
    escalations, decisions, messages, channel links, counters and audit trail, and say what
    was deleted. The audit keeps one line: that a client was forgotten, by whom, no name."""
    refused = await require_manager(scope, "client.forget", ("client", command.client))
    if refused:
        return refused
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(client, Reply):
        return client
    t = scope.t
    if not command.confirmed:
        confirm = dataclasses.replace(command, client=f"client-id:{client.id}", confirmed=True)
        return Reply(
            ReplyKind.RESULT,
            (
                Heading(t._("Forget {client}?", client=client.name)),
                Paragraph(
                    t._(
                        "Everything Yellowcard recorded about {client} will be deleted for good: "
                        "reports and their evidence, assessments, escalations, decisions, "
                        "channel links and contact counters. Export it first if you need a copy.",
                        client=client.name,
                    )
                ),
                Actions(
                    (
                        Button(
                            t._("Forget {client}", client=client.name), confirm, ButtonStyle.DANGER
                        ),
                    )
                ),
            ),
            {"preview": True, "client_id": client.id},
        )
    deleted = await scope.uow.forgetting.forget(scope.tenant.id, client.id or 0)
    await scope.audit("client.forgotten", subject=("client", "forgotten"), deleted=deleted)
    await scope.uow.commit()
    lines = "\n".join(DELETED[kind](t, count) for kind, count in deleted.items() if count)
    return Reply(
        ReplyKind.RESULT,
        (
            Heading(t._("{client} is forgotten", client=client.name)),
            Paragraph(t._("Deleted:") + "\n" + lines),
        ),
        {"deleted": deleted},
    )
