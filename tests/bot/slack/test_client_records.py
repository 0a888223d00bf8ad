"""A client's record in Slack: ``/client add`` with a wrong value opens the modal with the
error on its field; submitted right, the client is added with its record."""

import json
from typing import Any

from tests.support.slack_driver import SlackDriver, block_texts, picked, text_input


def _view(call_args: dict[str, Any]) -> dict[str, Any]:
    view: dict[str, Any] = (
        json.loads(call_args["view"]) if isinstance(call_args["view"], str) else call_args["view"]
    )
    return view


async def test_a_manager_adds_a_client_through_the_modal(slack: SlackDriver) -> None:
    await slack.command("/client", 'add "Acme Corp" segment=great revenue=900', user="UMARIA")
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    inputs = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert inputs == [
        "name", "aliases", "segment", "tier", "revenue", "currency", "owner", "billing-id",
        "helpdesk-id", "notes",
    ]  # fmt: skip
    assert "The segment is one of ideal, adjacent, or outside." in block_texts(view["blocks"])
    values = {
        "name": {"name": text_input("Acme Corp")},
        "segment": {"yc_field:segment": picked("ideal")},
        "revenue": {"revenue": text_input("900")},
        "currency": {"currency": text_input("cad")},
        "owner": {"owner": {"type": "users_select", "selected_user": "UANA"}},
        "billing-id": {"billing-id": text_input("cus_77")},
    }
    wrong = (
        await slack.submit(
            view, {**values, "currency": {"currency": text_input("xx")}}, user="UMARIA"
        )
    ).json()
    assert wrong["response_action"] == "errors"
    assert set(wrong["errors"]) == {"currency"}
    added = (await slack.submit(view, values, user="UMARIA")).json()
    assert "Acme Corp was added to your clients." in block_texts(added["view"]["blocks"])
    await slack.command("/client", '"Acme Corp"', user="UMARIA")
    [card] = await slack.fake.wait_for("respond")
    shown = block_texts(card.args["blocks"])
    assert "CA$900.00" in shown
    assert "<@UANA>" in shown


async def test_staff_cannot_add_clients(slack: SlackDriver) -> None:
    await slack.command("/client", "add Globex")
    [refused] = await slack.fake.wait_for("respond")
    assert "manager" in block_texts(refused.args["blocks"]).lower()
