"""``yellowcard clients import FILE.csv --tenant ID [--dry-run] [--skip-invalid]`` and
``yellowcard clients export --tenant ID [--output FILE]``: the book of business in and out of
a tenant as CSV. The work is in ``skills.clients.csv_import`` and ``csv_export``; this reads
the file, opens the tenant and prints (docs/clients.md)."""

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from bot.settings import Settings
from bot.shell.session import LOCAL_TENANT
from skills.clients.csv_export import export_clients
from skills.clients.csv_import import ImportResult, import_clients, result_lines
from skills.core.context import Actor, Services
from skills.core.scope import UnknownTenantError, open_scope
from skills.core.tenancy import ensure_tenant
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``clients`` command and its ``import`` and ``export``."""
    clients = commands.add_parser("clients", help="import or export a tenant's clients as CSV")
    actions = clients.add_subparsers(dest="clients_command", required=True)
    load = actions.add_parser(
        "import", help="create and update clients from a CSV file (docs/clients.md)"
    )
    load.add_argument("file", type=Path, help="the CSV file: UTF-8, comma or semicolon")
    load.add_argument("--tenant", required=True, help="the tenant id: local, slack:T0123, …")
    load.add_argument(
        "--dry-run", action="store_true", help="print what would change; write nothing"
    )
    load.add_argument(
        "--skip-invalid", action="store_true", help="import the right lines, skip the wrong"
    )
    dump = actions.add_parser("export", help="write the tenant's clients as CSV")
    dump.add_argument("--tenant", required=True, help="the tenant id: local, slack:T0123, …")
    dump.add_argument("--output", type=Path, help="the file to write (default: stdout)")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``clients import`` or ``clients export``; the process's exit code."""
    text = ""
    if args.clients_command == "import":
        try:
            text = args.file.read_bytes().decode("utf-8")
        except OSError as error:
            print(f"error: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return 2
        except UnicodeDecodeError as error:
            print(f"error: {args.file} is not UTF-8 (byte {error.start})", file=sys.stderr)
            return 2
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        user = getpass.getuser()
        actor = Actor(args.tenant, f"cli:{user}", user)
        if args.tenant == LOCAL_TENANT:
            # The shell's workspace exists once someone used it; an import may come first.
            founder = Actor(LOCAL_TENANT, user, user)
            await ensure_tenant(
                services,
                tenant_id=LOCAL_TENANT,
                platform="local",
                name="Local",
                language=settings.yellowcard_locale,
                founder=founder,
            )
        try:
            async with open_scope(services, actor) as scope:
                if args.clients_command == "export":
                    return _write(await export_clients(scope), args.output)
                try:
                    result = await import_clients(
                        scope, text, dry_run=args.dry_run, skip_invalid=args.skip_invalid
                    )
                except IntegrityError:
                    # Someone added a client with a line's name or id while it was checked.
                    print(
                        "error: a client of the file was added meanwhile; nothing was written. "
                        "Run the import again.",
                        file=sys.stderr,
                    )
                    return 1
                for line in result_lines(scope.t, result, dry_run=args.dry_run):
                    print(line)
        except UnknownTenantError:
            print(f"error: there is no tenant {args.tenant!r}", file=sys.stderr)
            return 2
    finally:
        await engine.dispose()
    return 1 if _stopped(result, skip_invalid=args.skip_invalid) else 0


def _stopped(result: ImportResult, *, skip_invalid: bool) -> bool:
    """Whether wrong lines stop the import (or would, in a dry run): any wrong line, unless
    they are skipped on purpose; a wrong header always."""
    header_wrong = any(error.line == 1 for error in result.errors)
    return bool(result.errors) and (header_wrong or not skip_invalid)


def _write(text: str, output: Path | None) -> int:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    return 0
