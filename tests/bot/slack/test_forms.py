"""Forms in Slack modals: the category redraws the modal with the fields it needs, and errors
name fields by their labels, on their blocks where Slack can put them."""

import json
from typing import Any

from tests.support.slack_driver import SlackDriver, block_texts, picked, quick_report, text_input


def _view(call_args: dict[str, Any]) -> dict[str, Any]:
    view = call_args["view"]
    return json.loads(view) if isinstance(view, str) else view


def _fields(view: dict[str, Any]) -> list[str]:
    return [block["block_id"] for block in view["blocks"] if block["type"] == "input"]


async def test_the_category_adds_and_removes_days_overdue(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    await slack.command("/report-client", '"Acme Corp"')
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    assert "days_overdue" not in _fields(view)

    assert (await slack.choose(view, "category", "non_payment", view_id="VREPORT")).status == 200
    [unpaid] = await slack.fake.wait_for("views.update")
    assert (unpaid.args["view_id"], unpaid.args["hash"]) == ("VREPORT", "1.a")
    redrawn = _view(unpaid.args)
    assert "days_overdue" in _fields(redrawn)
    assert redrawn["private_metadata"] == view["private_metadata"]
    # Every other input keeps its block and action ids, so Slack keeps what was typed.
    before = {block["block_id"]: block["element"]["action_id"] for block in view["blocks"]}
    after = {block["block_id"]: block["element"]["action_id"] for block in redrawn["blocks"]}
    assert before.items() <= after.items()

    await slack.choose(redrawn, "category", "scope_creep", view_id="VREPORT")
    [_, other] = await slack.fake.wait_for("views.update", 2)
    assert "days_overdue" not in _fields(_view(other.args))

    values = {
        "client": {"client": picked("Acme Corp", "external_select")},
        "category": {"yc_field:category": picked("non_payment")},
        "details": {"details": text_input("invoice 1042, three reminders")},
        "days_overdue": {"days_overdue": text_input("75")},
    }
    filed = (await slack.submit(redrawn, values, view_id="VREPORT")).json()
    assert "Red card" in block_texts(filed["view"]["blocks"])


async def test_errors_go_on_their_fields(slack: SlackDriver) -> None:
    await slack.command("/report-client", "")
    [opened] = await slack.fake.wait_for("views.open")
    values = {
        "client": {"client": picked("new:Acme Corp", "external_select")},
        "category": {"yc_field:category": picked("abuse")},
        "details": {"details": text_input("shouted at Ana")},
        "evidence_link": {"evidence_link": text_input("ftp://nowhere")},
        "evidence_written_at": {"evidence_written_at": {"type": "datetimepicker"}},
    }
    answer = (await slack.submit(_view(opened.args), values)).json()
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "evidence_link": "The evidence link must start with https:// or http:// and be at most "
        "2,000 characters."
    }


async def test_errors_in_the_command_are_listed_under_their_labels(slack: SlackDriver) -> None:
    # One after the other: two commands at once may open their modals in either order.
    await slack.command("/report-client", "Acme nonsense he was rude")
    await slack.fake.wait_for("views.open")
    await slack.command("/report-client", "Acme nonsense he was rude", user="UPILAR")
    [english, spanish] = await slack.fake.wait_for("views.open", 2)
    listed = _view(english.args)["blocks"][0]["text"]["text"]
    assert listed.startswith("*What kind of problem*\n“nonsense” is not a category.")
    assert "category" not in listed.split("\n")[0]
    assert _view(spanish.args)["blocks"][0]["text"]["text"].startswith(
        "*Tipo de problema*\n“nonsense” no es una categoría."
    )


async def test_an_error_on_a_shown_text_is_listed_not_sent_to_a_missing_block(
    slack: SlackDriver,
) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    slack.fake.add_user("UCLIENT", team_id="TCLIENTORG")
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "yc_report_from_message",
            "user": {"id": "UANA", "team_id": slack.fake.team_id},
            "channel": {"id": "C1"},
            "message": {
                "type": "message",
                "user": "UCLIENT",
                "ts": "1764000000.000300",
                "text": "y" * 40_001,  # more than a report keeps: shown, not editable
            },
            "response_url": slack.fake.response_url(),
        }
    )
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    values = {
        "client": {"client": picked("Acme Corp", "external_select")},
        "category": {"yc_field:category": picked("abuse")},
        "details": {"details": text_input("a wall of insults")},
    }
    # Slack refuses errors for a block that is not an input: the modal is redrawn instead.
    answer = (await slack.submit(view, values)).json()
    assert answer["response_action"] == "update"
    assert "*Quoted message*\nThe quoted message can be at most 40,000 characters." in (
        block_texts(answer["view"]["blocks"])
    )
