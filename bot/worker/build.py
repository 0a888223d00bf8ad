"""Putting the worker together from settings: a notifier per configured platform."""

from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from bot.slack.app import slack_notifier
from bot.worker.dispatcher import Dispatcher, retry_policy
from bot.worker.notifier import Notifier
from bot.worker.runner import Worker
from skills.core.context import Services


def build_dispatcher(
    settings: Settings, services: Services, engine: AsyncEngine, registry: CollectorRegistry
) -> Dispatcher:
    """The dispatcher, with a notifier for each platform whose credentials are set."""
    policy = retry_policy(
        settings.outbox_max_attempts, settings.outbox_retry_seconds, settings.outbox_lease_seconds
    )
    notifiers: dict[str, Notifier] = {}
    if settings.slack_configured:
        slack = slack_notifier(settings, services, engine, policy.call_timeout)
        notifiers[slack.platform] = slack
    if settings.teams_configured:
        # Imported only here, as bot.app does: the Agents SDK is no use to a Slack-only process.
        from bot.teams.app import teams_button_codec, teams_connector
        from bot.teams.notifier import TeamsNotifier

        teams = TeamsNotifier(
            services,
            teams_connector(settings, policy.call_timeout),
            teams_button_codec(settings, services),
        )
        notifiers[teams.platform] = teams
    return Dispatcher(services, notifiers, policy, registry)


def build_worker(
    settings: Settings, services: Services, engine: AsyncEngine, registry: CollectorRegistry
) -> Worker:
    """The dispatcher and the scheduler, on the settings' intervals."""
    return Worker(
        services,
        build_dispatcher(settings, services, engine, registry),
        poll_seconds=settings.outbox_poll_seconds,
        tick_seconds=settings.scheduler_tick_seconds,
        registry=registry,
    )
