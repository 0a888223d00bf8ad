"""``/client forget <client>``: managers delete a client's data, after seeing what will go."""

import dataclasses

from skills.clients.lookup import client_or_suggestions
from skills.commands import ForgetClient
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import Actions, Button, ButtonStyle, Heading, Paragraph, Reply, ReplyKind


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
    lines = "\n".join(f"{name}: {count}" for name, count in deleted.items() if count)
    return Reply(
        ReplyKind.RESULT,
        (
            Heading(t._("{client} is forgotten", client=client.name)),
            Paragraph(t._("Deleted:") + "\n" + lines),
        ),
        {"deleted": deleted},
    )
