"""``yellowcard api-token create|list|revoke --tenant ID``: an operator's way to the signals
API's tokens (docs/api.md). English, as the rest of the command line; audited as the person
at the terminal (``cli:<OS user>``)."""

import argparse
import getpass
import sys

from bot.settings import Settings
from skills.core.context import Actor, Services
from skills.core.scope import UnknownTenantError, open_scope
from skills.signals.tokens import TokenError, create_token, list_tokens, revoke_token
from storage.book_models import ApiToken
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``api-token`` command and its ``create``, ``list`` and ``revoke``."""
    tokens = commands.add_parser(
        "api-token", help="make, list or revoke a tenant's signals API tokens (docs/api.md)"
    )
    token_actions = tokens.add_subparsers(dest="action", required=True)
    for action, said in (
        ("create", "make a token; it is printed once, alone on the last line"),
        ("list", "the tenant's tokens, active first"),
        ("revoke", "refuse the token from now on"),
    ):
        token_action = token_actions.add_parser(action, help=said)
        token_action.add_argument("--tenant", required=True, help="the tenant id, like local")
        if action != "list":
            token_action.add_argument("--name", required=True, help="the token's name")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``api-token <action>``; 0 when done, 2 for an unknown tenant or a refused name."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        actor = Actor(args.tenant, f"cli:{getpass.getuser()}", "command line", locale="en")
        async with open_scope(services, actor) as scope:
            if args.action == "create":
                token = await create_token(scope, args.name)
                print(
                    f"created the token {args.name} of {args.tenant}. It is shown this once: "
                    f"keep it in the sending system's secrets. Send it as "
                    f"Authorization: Bearer <token>."
                )
                print(token)
            elif args.action == "revoke":
                await revoke_token(scope, args.name)
                print(f"revoked the token {args.name} of {args.tenant}: it is refused from now on")
            else:
                tokens = await list_tokens(scope)
                print("\n".join(_line(token) for token in tokens) or "no tokens")
    except UnknownTenantError:
        print(f"error: there is no tenant {args.tenant!r}", file=sys.stderr)
        return 2
    except TokenError as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    finally:
        await engine.dispose()
    return 0


def _line(token: ApiToken) -> str:
    used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
    made = f"made {token.created_at.isoformat(timespec='minutes')} by {token.created_by}"
    state = (
        f"revoked {token.revoked_at.isoformat(timespec='minutes')} by {token.revoked_by}"
        if token.revoked_at
        else "active"
    )
    return f"{token.name}\t{state}\t{made}\tlast used {used}"
