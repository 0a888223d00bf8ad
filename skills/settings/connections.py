"""``/client settings connect stripe|zendesk <signing secret>``: managers connect Stripe's or
Zendesk's webhooks (docs/integrations.md). The answer, private, is the path to give the other
system; the secret is never repeated, logged or audited. The rules are
``skills.integrations.connections``'s, as on the command line (the better place for a secret:
chat keeps what is typed in its history)."""

from skills.commands import ConnectWebhook
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.integrations.connections import (
    ConnectionSetupError,
    SecretsKeyMissingError,
    create_connection,
    path_of,
)
from skills.replies import Heading, Paragraph, Reply, ReplyKind, Visibility


async def connect_webhook(scope: Scope, command: ConnectWebhook) -> Reply:
    """Managers only: a connection lets another system write the tenant's signals."""
    # The subject names no word the person typed: a mistyped command may hold the secret there.
    refused = await require_manager(scope, "connection.create", ("connection", ""))
    if refused:
        return refused
    t = scope.t
    if not command.kind or not command.secret:
        usage = t._(
            "Managers connect a system's webhooks with /client settings connect stripe "
            "<signing secret> or /client settings connect zendesk <signing secret> (see "
            "docs/integrations.md). The command line is the better place: yellowcard connect."
        )
        return Reply(ReplyKind.ERROR, (Paragraph(usage),), {"error": "connect_usage"})
    try:
        made = await create_connection(scope, command.kind, command.secret)
    except ConnectionSetupError as problem:
        return Reply(ReplyKind.ERROR, (Paragraph(str(problem)),), {"error": "connect"})
    except SecretsKeyMissingError:
        text = t._(
            "This server cannot keep signing secrets yet: whoever runs it sets SECRETS_KEY "
            "(see docs/integrations.md)."
        )
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "secrets_key"})
    path, system = path_of(made), made.kind.title()
    return Reply(
        ReplyKind.RESULT,
        (
            Heading(t._("Connected to {system}", system=system)),
            Paragraph(
                t._(
                    "Set this path, after this server's address, as the webhook's URL in "
                    "{system} (docs/integrations.md). The secret is kept encrypted and will "
                    "not be shown again.",
                    system=system,
                )
            ),
            Paragraph(path),
        ),
        {"connection": made.kind, "path": path},
        # The request held a credential: the answer goes to the manager alone, never a channel.
        visibility=Visibility.PRIVATE,
    )
