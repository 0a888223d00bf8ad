"""The ``yellowcard`` command: ``serve``, ``worker``, ``migrate``, ``summary``, ``shell``,
``teams-package``, ``install``, ``clients``, ``api-token``, ``connect`` and ``connections``."""

import argparse
import asyncio
import getpass
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import log as aiohttp_log
from aiohttp import web
from prometheus_client import CollectorRegistry

from bot import api_tokens_cli, clients_cli, connections_cli
from bot.app import create_app
from bot.logs import configure_logging
from bot.settings import Settings
from bot.shell.render import render_text
from bot.shell.session import LOCAL_TENANT, ShellSession
from bot.teams.package import PackageError, build_package
from bot.worker.build import build_dispatcher, build_worker
from bot.worker.dispatcher import Dispatcher
from skills.core.context import Actor, Services
from skills.core.scope import UnknownTenantError
from skills.core.tenancy import ensure_tenant, record_installation
from skills.listening.abuse import TermListError
from skills.outbox.delivery import outbox_statuses
from skills.replies import ReplyKind
from skills.summary.send import summary_for_tenant
from skills.text.i18n import Translator, supported_language, translator
from skills.text.mentions import is_person_id
from storage.database import create_engine, create_session_factory
from storage.migrate import upgrade_to_head
from storage.models import OutboxStatus

log = logging.getLogger("yellowcard")
SUMMARY_WAIT_SECONDS = 60
# The platforms whose installation an operator can record.
INSTALLABLE = ("teams", "slack")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    if args.database_url:
        settings.database_url = args.database_url
    # The shell's output is the conversation (and an import's, its result); keep routine logs
    # out of it unless asked for.
    quiet = args.command in {"shell", "clients"} and "log_level" not in settings.model_fields_set
    configure_logging("warning" if quiet else settings.log_level, settings.log_format)
    if args.command == "serve":
        if settings.anonymous_teams_exposed:
            print(
                f"error: TEAMS_ALLOW_ANONYMOUS=1 accepts unsigned Teams requests, so it serves "
                f"only this machine: HOST is {settings.host}. Set HOST=127.0.0.1 for local use, "
                f"or set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID "
                f"(docs/teams.md).",
                file=sys.stderr,
            )
            return 2
        try:
            return serve(settings)
        except TermListError as error:
            print(f"error: {error}. Reinstall Yellowcard.", file=sys.stderr)
            return 2
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print("database is at the newest revision")
        return 0
    if args.command == "worker":
        asyncio.run(_worker(settings))
        return 0
    if args.command == "summary":
        return asyncio.run(_summary(settings, args))
    if args.command == "teams-package":
        return _teams_package(args)
    if args.command == "install":
        return asyncio.run(_install(settings, args))
    if args.command == "clients":
        return asyncio.run(clients_cli.run(settings, args))
    if args.command == "api-token":
        return asyncio.run(api_tokens_cli.run(settings, args))
    if args.command in {"connect", "connections"}:
        return asyncio.run(connections_cli.run(settings, args))
    return asyncio.run(_shell(settings, args))


def serve(settings: Settings) -> int:
    """Serve HTTP until SIGINT or SIGTERM, then finish open requests and close the database."""
    asyncio.run(_serve(settings))
    return 0


async def _serve(settings: Settings) -> None:
    # A line per request costs a busy Slack workspace's event stream dearly (BENCHMARKS.md);
    # /metrics counts requests by route and status either way.
    access_log = aiohttp_log.access_logger if settings.access_log else None
    runner = web.AppRunner(
        create_app(settings), handle_signals=False, shutdown_timeout=10, access_log=access_log
    )
    await runner.setup()
    stop = _stop_on_signals()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        for address in runner.addresses:
            # With PORT=0 the system picks the port; this line says which (tests read it).
            log.info("listening on http://%s:%s", *address[:2])
        await stop.wait()
        log.info("shutting down: finishing open requests")
    finally:
        await runner.cleanup()
    log.info("stopped")


async def _worker(settings: Settings) -> None:
    """The dispatcher and the scheduler without HTTP, until SIGINT or SIGTERM."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        worker = build_worker(settings, services, engine, CollectorRegistry())
        stop = _stop_on_signals()
        worker.start()
        log.info("worker running")
        await stop.wait()
        await worker.stop()
        log.info("stopped")
    finally:
        await engine.dispose()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    return stop


async def _summary(settings: Settings, args: argparse.Namespace) -> int:
    """Print the tenant's summary of the last seven days, or (``--now``) post it and wait."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        try:
            reply = await summary_for_tenant(services, args.tenant, post=args.now)
        except UnknownTenantError:
            print(f"error: there is no tenant {args.tenant!r}", file=sys.stderr)
            return 2
        t = translator(settings.yellowcard_locale)
        if reply.kind is not ReplyKind.RESULT or not args.now:
            print(render_text(reply, t))
            return 0 if reply.kind is ReplyKind.RESULT else 1
        dispatcher = build_dispatcher(settings, services, engine, CollectorRegistry())
        return await _deliver(services, dispatcher, list(reply.data["outbox_ids"]))
    finally:
        await engine.dispose()


async def _deliver(services: Services, dispatcher: Dispatcher, ids: list[int]) -> int:
    """Run the dispatcher until the messages are sent or parked (or a minute has passed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SUMMARY_WAIT_SECONDS
    while True:
        await dispatcher.run_once()
        rows = await outbox_statuses(services, ids)
        settled = all(row.status != OutboxStatus.PENDING for row in rows.values())
        if settled or loop.time() > deadline:
            break
        await asyncio.sleep(1)
    for row in rows.values():
        where = row.recipient_id
        if row.status == OutboxStatus.SENT:
            print(f"posted to {where}")
        else:
            print(f"not posted to {where}: {row.status} ({row.last_error or 'waiting'})")
    return 0 if all(row.status == OutboxStatus.SENT for row in rows.values()) else 1


def _teams_package(args: argparse.Namespace) -> int:
    try:
        written = build_package(args.app_id, args.domain, Path(args.output))
    except PackageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {written}: upload it in Teams (Apps, Manage your apps, Upload an app)")
    return 0


async def _install(settings: Settings, args: argparse.Namespace) -> int:
    """Record that a tenant installed the app, with a manager: for a Teams tenant whose install
    event never arrived (docs/teams.md), or one whose managers have all left."""
    platform, _colon, workspace = args.tenant.partition(":")
    if platform not in INSTALLABLE or not workspace:
        print(
            f"error: the tenant is teams:<Entra tenant id> or slack:<workspace id>, "
            f"not {args.tenant!r}",
            file=sys.stderr,
        )
        return 2
    if not is_person_id(platform, args.manager):
        kind = "a Microsoft Entra object id" if platform == "teams" else "a Slack user id (U…)"
        print(f"error: the manager is {kind}, not {args.manager!r}", file=sys.stderr)
        return 2
    language = supported_language(args.language or settings.yellowcard_locale)
    if language is None:
        print(f"error: Yellowcard does not speak {args.language!r}", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine))
        created = await record_installation(
            services, args.tenant, platform=platform, manager_id=args.manager, language=language
        )
    finally:
        await engine.dispose()
    if created:
        print(f"recorded the installation of {args.tenant}; its first manager is {args.manager}")
    else:
        print(f"{args.tenant} was already installed; {args.manager} is one of its managers")
    return 0


async def _migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


async def _shell(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_to_head(engine)
        services = Services(create_session_factory(engine), secrets_key=settings.key())
        user = args.user or getpass.getuser()
        actor = Actor(LOCAL_TENANT, user, user, locale=args.locale)
        tenant = await ensure_tenant(
            services,
            tenant_id=LOCAL_TENANT,
            platform="local",
            name="Local",
            language=settings.yellowcard_locale,
            founder=actor,
        )
        # The language the person chose wins over --locale, as it does in the replies.
        locale = await services.locale_of(LOCAL_TENANT, user, args.locale)
        t = translator(supported_language(locale) or tenant.language)
        session = ShellSession(
            services, actor, t, read_line=_read_line, write=_write, say=_say, as_json=args.json
        )
        if args.command_line is not None:
            kind = await _run_safely(session, args.command_line, t)
            return 0 if kind is ReplyKind.RESULT else 1
        print(t._("Yellowcard shell. Type /client help for the commands, or quit to leave."))
        while (line := _read_line("yellowcard> ")) is not None:
            if line.strip() in {"quit", "exit"}:
                break
            if line.strip():
                await _run_safely(session, line, t)
        return 0
    finally:
        await engine.dispose()


async def _run_safely(session: ShellSession, line: str, t: Translator) -> ReplyKind | None:
    """Run one line; an unexpected error is logged and reported, and the shell goes on."""
    try:
        return (await session.run(line)).kind
    except Exception:
        log.exception("a shell command failed")  # never the line: it holds what was typed
        _say(t._("Something went wrong and nothing was saved. The error is in the log."))
        return None


def _write(text: str) -> None:
    print(text, flush=True)


def _say(text: str) -> None:
    print(text, file=sys.stdout if sys.stdin.isatty() else sys.stderr)


def _read_line(prompt: str) -> str | None:
    """A line from the person; None at end of input.

    Prompts go to stderr when input is piped, so that stdout carries only replies.
    """
    if sys.stdin.isatty():
        try:
            return input(prompt)
        except EOFError:
            return None
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    return line.rstrip("\n") if line else None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yellowcard",
        description="Spot bad-fit clients early and act fairly. Settings come from the "
        "environment and .env (see docs/configuration.md).",
    )
    parser.add_argument("--database-url", help="override DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="migrate, then serve HTTP on HOST:PORT")
    commands.add_parser("migrate", help="bring the database to the newest revision")
    commands.add_parser(
        "worker", help="send the outbox and run the schedule, without HTTP (see operations.md)"
    )
    summary = commands.add_parser(
        "summary", help="print a tenant's weekly risk summary, or post it now with --now"
    )
    summary.add_argument("--tenant", required=True, help="the tenant id, like slack:T0123")
    summary.add_argument(
        "--now", action="store_true", help="post it to the tenant's summary channels now"
    )
    package = commands.add_parser(
        "teams-package", help="write the Teams app zip with the bot id and domain filled in"
    )
    package.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    package.add_argument(
        "--domain", required=True, help="where Yellowcard is served, like bot.example.com"
    )
    package.add_argument("--output", default="yellowcard-teams.zip", help="the zip to write")
    install = commands.add_parser(
        "install",
        help="record a tenant's installation with a manager (when the platform never said, "
        "or every manager left)",
    )
    install.add_argument(
        "--tenant", required=True, help="teams:<Entra tenant id> or slack:<workspace id>"
    )
    install.add_argument(
        "--manager",
        required=True,
        help="the manager: a Microsoft Entra object id in Teams, a user id (U…) in Slack",
    )
    install.add_argument(
        "--language", help="a new tenant's language: en, es, ja or zh-Hant (YELLOWCARD_LOCALE)"
    )
    clients_cli.add_parser(commands)
    api_tokens_cli.add_parser(commands)
    connections_cli.add_parsers(commands)
    shell = commands.add_parser("shell", help="the chat commands in a terminal")
    shell.add_argument("-c", dest="command_line", metavar="COMMAND", help="run one command")
    shell.add_argument("--user", help="act as this local user (default: your OS user)")
    shell.add_argument("--locale", help="reply language: en, es, ja or zh-Hant")
    shell.add_argument("--json", action="store_true", help="print replies as JSON")
    return parser
