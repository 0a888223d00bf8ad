"""The assessment over Slack: a modal updated step by step, Back, and a server restart midway."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from skills.assessment.bank import COST_KEYS, bank
from tests.support.fake_slack import FakeSlack, running_fake_slack
from tests.support.slack_driver import (
    SIGNING_SECRET,
    SlackDriver,
    block_texts,
    picked,
    text_input,
)


def _settings(database_url: str, fake: FakeSlack) -> Settings:
    return Settings(
        database_url=database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url + "api/",
    )


def _answers(view: dict[str, Any], move: str = "next", **typed: str) -> dict[str, dict[str, Any]]:
    """Answer every field of a step view: "no" to questions, amounts and "no" on the value step;
    ``typed`` fills text fields by name (the cost questions are left empty unless given)."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        name = block["block_id"]
        element = block["element"]
        if name == "move":
            values[name] = {name: picked(move)}
        elif element["type"] == "plain_text_input":
            default = "" if name in COST_KEYS else "10"
            values[name] = {name: text_input(typed.get(name, default))}
        else:
            values[name] = {name: picked("no")}
    return values


def _step(view: dict[str, Any]) -> str:
    return view["blocks"][0]["text"]["text"]


@asynccontextmanager
async def _slack_with_maria(database_url: str) -> AsyncIterator[tuple[SlackDriver, FakeSlack]]:
    """The app against a fake Slack where María is an admin (so a manager)."""
    async with running_fake_slack() as fake:
        fake.add_user("UMARIA", is_admin=True)
        async with TestServer(create_app(_settings(database_url, fake))) as server:
            yield SlackDriver(str(server.make_url("/")), fake), fake


async def test_assessment_modal_with_back_and_a_restart(database_url: str) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UMARIA", is_admin=True)
        async with TestServer(create_app(_settings(database_url, fake))) as server:
            slack = SlackDriver(str(server.make_url("/")), fake)
            await slack.command("/report-client", '"Acme Corp" scope_creep more', user="UMARIA")
            [suggestion] = await fake.wait_for("respond")
            await slack.click(_first_button(suggestion.args["blocks"]), user="UMARIA")
            await fake.wait_for("respond", 2)  # the client exists once its report is filed
            await slack.command("/client", 'assess "Acme Corp"', user="UMARIA")
            [opened] = await fake.wait_for("views.open")
            view = _view(opened.args)
            assert _step(view).startswith(f"Step 1 of {len(bank().steps)}")
            # Optional to Slack, so that Back, Save and Cancel work on a half-answered step.
            inputs = [block for block in view["blocks"] if block["type"] == "input"]
            assert all(block.get("optional") for block in inputs)
            second = await _submit(slack, view, _answers(view))
            assert _step(second).startswith("Step 2 of")
            back = await _submit(slack, second, _answers(second, "back"))
            assert _step(back).startswith("Step 1 of")
            again = await _submit(slack, back, _answers(back))
            assert _step(again).startswith("Step 2 of")
        # A new process on the same database: /client assess picks up where it was left.
        async with TestServer(create_app(_settings(database_url, fake))) as restarted:
            slack = SlackDriver(str(restarted.make_url("/")), fake)
            await slack.command("/client", 'assess "Acme Corp"', user="UMARIA")
            [_first, resumed] = await fake.wait_for("views.open", 2)
            view = _view(resumed.args)
            assert _step(view).startswith("Step 2 of")
            while view["callback_id"] == "yc_form":
                view = await _submit(slack, view, _answers(view))
    texts = "\n".join(
        block["text"]["text"] for block in view["blocks"] if isinstance(block.get("text"), dict)
    )
    assert "Assessment of Acme Corp: Keep up the good work" in texts
    assert "☐ Keep giving them good, fair service." in texts


async def _submit(
    slack: SlackDriver, view: dict[str, Any], values: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    answer = (await slack.submit(view, values, user="UMARIA")).json()
    assert answer["response_action"] == "update", answer
    return dict(answer["view"])


async def test_amounts_are_checked_on_their_fields(database_url: str) -> None:
    async with _slack_with_maria(database_url) as (slack, fake):
        await slack.command("/client", "assess", user="UMARIA")
        [opened] = await fake.wait_for("views.open")
        picker = _view(opened.args)
        await slack.command("/report-client", '"Globex" expectation_mismatch x', user="UMARIA")
        [suggestion] = await fake.wait_for("respond")
        await slack.click(_first_button(suggestion.args["blocks"]), user="UMARIA")
        await fake.wait_for("respond", 2)
        chosen = {"client": {"client": picked("Globex", "external_select")}}
        view = (await slack.submit(picker, chosen, user="UMARIA")).json()["view"]
        while "monthly_revenue" not in {block.get("block_id") for block in view["blocks"]}:
            view = (await slack.submit(view, _answers(view), user="UMARIA")).json()["view"]
        values = _answers(view)
        values["monthly_revenue"] = {"monthly_revenue": text_input("a lot")}
        answer = (await slack.submit(view, values, user="UMARIA")).json()
        assert answer == {
            "response_action": "errors",
            "errors": {
                "monthly_revenue": "The answer to “Monthly revenue from them” is a number, "
                "like 1,200 or 7.5."
            },
        }


async def test_a_red_card_weighs_in_and_the_cost_is_asked_of_a_manager(
    database_url: str,
) -> None:
    async with _slack_with_maria(database_url) as (slack, fake):
        await slack.command("/report-client", '"Acme Corp" abuse yelled at Ana', user="UMARIA")
        [suggestion] = await fake.wait_for("respond")
        await slack.click(_first_button(suggestion.args["blocks"]), user="UMARIA")
        await fake.wait_for("respond", 2)
        await slack.command("/client", 'assess "Acme Corp"', user="UMARIA")
        [opened] = await fake.wait_for("views.open")
        view = _view(opened.args)
        while "hourly_cost" not in {block.get("block_id") for block in view["blocks"]}:
            view = await _submit(slack, view, _answers(view))
        cost = {"hourly_cost": "50", "monthly_revenue": "3000", "support_hours": "10"}
        answer = (
            await slack.submit(view, _answers(view, currency="euros", **cost), user="UMARIA")
        ).json()
        assert answer["errors"] == {
            "currency": "“euros” is not a currency code. Write its three-letter ISO 4217 code, "
            "like EUR, USD or JPY."
        }
        result = await _submit(slack, view, _answers(view, currency="eur", **cost))
    texts = block_texts(result["blocks"])
    assert "Assessment of Acme Corp: Have a real conversation" in texts
    assert "with a red card for “Abuse of staff” on " in texts
    assert "6× what they cost to serve: €3,000.00 a month against €500.00" in texts


def _view(args: dict[str, Any]) -> dict[str, Any]:
    view = args["view"]
    return dict(json.loads(view) if isinstance(view, str) else view)


def _first_button(blocks: list[dict[str, Any]]) -> str:
    return str(next(e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]))
