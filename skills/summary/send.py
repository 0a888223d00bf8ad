"""Sending the weekly summary now: ``/client summary [preview]`` for managers, and
``yellowcard summary --tenant ID [--now]`` for the command line. It goes through the outbox to
the tenant's summary channels (a preview to the manager alone)."""

from skills.commands import SendSummary
from skills.core.access import require_manager
from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.outbox.messages import summary_message
from skills.replies import Paragraph, Reply, ReplyKind
from skills.summary.weekly import WEEK, weekly_summary


async def send_summary(scope: Scope, command: SendSummary) -> Reply:
    """The last seven days' summary now: privately (preview) or to the chosen channels."""
    refused = await require_manager(
        scope, "summary.send", ("summary", "preview" if command.preview else "now")
    )
    if refused:
        return refused
    if scope.tenant.platform == "local":
        # The shell has nowhere to post: the summary is the answer.
        return (await weekly_summary(scope, scope.now - WEEK, scope.now)).reply
    recipients = [scope.actor.user_id] if command.preview else list(scope.tenant.summary_channels)
    queued = await queue_summary_now(scope, recipients)
    if queued.kind is not ReplyKind.RESULT:
        return queued
    text = (
        scope.t._("The summary is on its way to you in a direct message.")
        if command.preview
        else scope.t._(
            "The summary is on its way to {channels}.", channels=scope.t.list_of(recipients)
        )
    )
    return Reply(ReplyKind.RESULT, (Paragraph(text),), queued.data)


async def queue_summary_now(scope: Scope, recipients: list[str]) -> Reply:
    """Queue the last seven days' summary to each recipient and commit; the reply's data has
    the outbox rows' ids, or it is an error when there is nobody to send to."""
    if not recipients:
        text = scope.t._("Choose channels first: /client settings summary-channels #channel")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "no_summary_channels"})
    key = f"now:{scope.now.isoformat()}"
    ids = []
    for recipient in recipients:
        message = summary_message(
            scope.tenant, recipient, key=key, start=scope.now - WEEK, end=scope.now, now=scope.now
        )
        if await scope.uow.outbox.add(message):
            ids.append(message.id or 0)
    await scope.audit("summary.queued", subject=("summary", key), recipients=recipients)
    await scope.uow.commit()
    return Reply(ReplyKind.RESULT, (), {"outbox_ids": ids, "recipients": recipients})


async def summary_for_tenant(services: Services, tenant_id: str, *, post: bool) -> Reply:
    """The last seven days' summary of a tenant, for the command line: queued to its channels
    (``post``), or returned to print. Raises ``UnknownTenantError`` for an unknown tenant."""
    async with open_scope(services, system_actor(tenant_id)) as scope:
        if not post:
            return (await weekly_summary(scope, scope.now - WEEK, scope.now)).reply
        return await queue_summary_now(scope, list(scope.tenant.summary_channels))
