"""``yellowcard connect stripe|zendesk --tenant ID --secret …`` and ``yellowcard connections
list|revoke --tenant ID``: an operator's webhook connections (docs/integrations.md). English,
as the rest of the command line; audited as the person at the terminal (``cli:<OS user>``).
The secret is never printed back."""

import argparse
import getpass
import sys

from bot.settings import Settings
from skills.core.context import Actor, Services
from skills.core.scope import UnknownTenantError, open_scope
from skills.integrations.connections import (
    ConnectionKind,
    ConnectionSetupError,
    SecretsKeyMissingError,
    create_connection,
    list_connections,
    path_of,
    rekey_connections,
    revoke_connection,
)
from storage.database import create_engine, create_session_factory
from storage.integration_models import Connection
from storage.migrate import upgrade_to_head


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``connect`` and ``connections`` commands."""
    connect = commands.add_parser(
        "connect",
        help="connect a tenant to Stripe's or Zendesk's webhooks; prints the path to give them",
    )
    connect.add_argument("kind", choices=[kind.value for kind in ConnectionKind])
    connect.add_argument("--tenant", required=True, help="the tenant id, like local")
    connect.add_argument(
        "--secret",
        required=True,
        help="the webhook's signing secret (Stripe: whsec_…); - reads it from standard input, "
        "which keeps it out of the shell's history and the process list",
    )
    connections = commands.add_parser("connections", help="list or revoke webhook connections")
    actions = connections.add_subparsers(dest="action", required=True)
    listed = actions.add_parser("list", help="the tenant's connections, active first")
    listed.add_argument("--tenant", required=True, help="the tenant id, like local")
    revoke = actions.add_parser("revoke", help="refuse the connection's requests from now on")
    revoke.add_argument("--tenant", required=True, help="the tenant id, like local")
    revoke.add_argument("id", help="the connection's id (the last part of its path)")
    actions.add_parser(
        "rekey",
        help="encrypt every tenant's secrets again under SECRETS_KEY's first key (after a new "
        "key was put first, before the old one is removed)",
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``connect`` or ``connections <action>``; 0 when done, 2 when refused."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine), secrets_key=settings.key())
        if args.command == "connections" and args.action == "rekey":
            print(f"encrypted {await rekey_connections(services)} secrets under the first key")
            return 0
        actor = Actor(args.tenant, f"cli:{getpass.getuser()}", "command line", locale="en")
        async with open_scope(services, actor) as scope:
            if args.command == "connect":
                secret = sys.stdin.readline().strip() if args.secret == "-" else args.secret
                made = await create_connection(scope, args.kind, secret)
                print(
                    f"connected {args.tenant} to {made.kind}: set this path (after the "
                    f"server's address, like https://yellowcard.example.com) as the webhook's "
                    f"URL in {made.kind.title()} (docs/integrations.md)"
                )
                print(path_of(made))
            elif args.action == "revoke":
                gone = await revoke_connection(scope, args.id)
                print(f"revoked {path_of(gone)}: its requests are refused from now on")
            else:
                found = await list_connections(scope)
                print("\n".join(_line(connection) for connection in found) or "no connections")
    except UnknownTenantError:
        print(f"error: there is no tenant {args.tenant!r}", file=sys.stderr)
        return 2
    except (ConnectionSetupError, SecretsKeyMissingError) as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    return 0


def _line(connection: Connection) -> str:
    made = f"made {connection.created_at.isoformat(timespec='minutes')} by {connection.created_by}"
    heard = connection.last_event_at
    last = f"last event {heard.isoformat(timespec='minutes')}" if heard else "no event yet"
    state = (
        f"revoked {connection.revoked_at.isoformat(timespec='minutes')} by {connection.revoked_by}"
        if connection.revoked_at
        else "active"
    )
    return f"{path_of(connection)}\t{state}\t{made}\t{last}"
