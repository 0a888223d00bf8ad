"""Which client a support channel belongs to: ``/client link <client>`` and ``unlink``, typed
in the channel, and the automatic link of a shared channel whose other organisation a client
record already names."""

import dataclasses

from skills.clients.lookup import client_or_suggestions
from skills.commands import LinkChannel, UnlinkChannel
from skills.core.context import Services, system_actor
from skills.core.scope import Scope, open_scope
from skills.replies import ClientPickerField, Form, Paragraph, Reply, ReplyKind
from storage.models import ChannelLink


async def link_channel(scope: Scope, command: LinkChannel) -> Reply:
    """Link the channel to the client; a shared channel's organisations are kept on the client
    so the next channel with them links itself."""
    t = scope.t
    if not command.channel:
        text = t._("Type /client link <client> in the support channel you want to link.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "no_channel"})
    if not command.client:
        return _link_form(scope, command)
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(client, Reply):
        return client
    organisations = [org for org in (command.organisations or "").split(",") if org]
    if organisations:
        locked = await scope.uow.clients.lock(scope.tenant.id, client.id or 0)
        assert locked is not None, "the client was just found"
        locked.external_org_ids = list(dict.fromkeys([*locked.external_org_ids, *organisations]))
        await scope.uow.clients.save(locked)
    await scope.uow.listening.link(
        ChannelLink(
            tenant_id=scope.tenant.id,
            channel_id=command.channel,
            client_id=client.id or 0,
            linked_by=scope.actor.user_id,
            linked_at=scope.now,
        )
    )
    await scope.audit("channel.linked", subject=("client", str(client.id)), channel=command.channel)
    await scope.uow.commit()
    text = t._(
        "This channel is now linked to {client}. Yellowcard counts messages here (never their "
        "text) and warns staff privately about abusive ones.",
        client=client.name,
    )
    return Reply(
        ReplyKind.RESULT, (Paragraph(text),), {"client_id": client.id, "channel": command.channel}
    )


async def unlink_channel(scope: Scope, command: UnlinkChannel) -> Reply:
    """Stop counting the channel for its client (the counts so far stay)."""
    t = scope.t
    if not command.channel or not await scope.uow.listening.unlink(
        scope.tenant.id, command.channel
    ):
        text = t._("This channel is not linked to a client.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "not_linked"})
    # Replies are no longer heard there: its open questions must not turn into "unanswered".
    await scope.uow.listening.answered(scope.tenant.id, command.channel)
    await scope.audit("channel.unlinked", subject=("channel", command.channel))
    await scope.uow.commit()
    text = t._("This channel is no longer linked; Yellowcard stopped listening here.")
    return Reply(ReplyKind.RESULT, (Paragraph(text),), {"channel": command.channel})


async def link_by_organisation(
    services: Services, tenant_id: str, channel_id: str, organisation: str
) -> int | None:
    """Link a shared channel to the client whose record names its other organisation; the
    client's id, or None when no client does (then staff are offered to link it)."""
    async with open_scope(services, system_actor(tenant_id)) as scope:
        client_id = await scope.uow.clients.with_organisation(tenant_id, organisation)
        if client_id is None:
            return None
        await scope.uow.listening.link(
            ChannelLink(
                tenant_id=tenant_id,
                channel_id=channel_id,
                client_id=client_id,
                linked_by="yellowcard",
                linked_at=scope.now,
            )
        )
        await scope.audit(
            "channel.linked",
            subject=("client", str(client_id)),
            channel=channel_id,
            organisation=organisation,
        )
        await scope.uow.commit()
        return client_id


def _link_form(scope: Scope, command: LinkChannel) -> Reply:
    t = scope.t
    form = Form(
        title=t._("Link this channel to a client"),
        fields=(ClientPickerField("client", t._("Client"), command.client),),
        submit_label=t._("Link the channel"),
        command=command,
        description=t._("Messages here will count for that client; their text is never kept."),
    )
    return Reply(kind=ReplyKind.FORM, blocks=(form,), data={"form": "link", "errors": {}})


async def client_of_channel(services: Services, tenant_id: str, channel_id: str) -> str | None:
    """The linked client of a channel as a picker value (``client-id:12``), or None."""
    async with services.unit_of_work() as uow:
        client_id = await uow.listening.linked_client(tenant_id, channel_id)
    return f"client-id:{client_id}" if client_id else None
