"""manifests/slack.yaml declares exactly what the app handles, and is a valid manifest."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.slack.app import BOT_SCOPES
from bot.slack.app_home import HOME_EVENTS
from bot.slack.channel_listener import MESSAGE_EVENTS
from bot.slack.ids import CallbackId, SlashCommand
from bot.slack.uninstall import UNINSTALL_EVENTS
from manifests import SLACK

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT.parent / "shared" / "fixtures" / "slack_manifest.schema.json"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load(SLACK.read_text()))


def test_commands_match(manifest: dict[str, Any]) -> None:
    declared = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert declared == {command.value for command in SlashCommand}


def test_shortcuts_match(manifest: dict[str, Any]) -> None:
    declared = {shortcut["callback_id"] for shortcut in manifest["features"]["shortcuts"]}
    assert declared == {CallbackId.REPORT_FROM_MESSAGE.value}


def test_events_and_scopes_match(manifest: dict[str, Any]) -> None:
    events = tuple(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert sorted(events) == sorted(HOME_EVENTS + MESSAGE_EVENTS + UNINSTALL_EVENTS)
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES


def test_every_url_is_the_one_route(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    urls = [command["url"] for command in manifest["features"]["slash_commands"]]
    urls += [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    urls.append(settings["interactivity"]["message_menu_options_url"])
    assert all(url.endswith("/slack/events") for url in urls)


def test_valid_against_slacks_schema(manifest: dict[str, Any]) -> None:
    if not SCHEMA.exists():
        pytest.skip("../shared/fixtures is not beside this clone (CI always has it)")
    schema = json.loads(SCHEMA.read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(manifest))
    assert [error.message for error in errors] == []
