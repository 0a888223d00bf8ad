"""The Slack surface over real HTTP: signed requests in, recorded Web API calls out."""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.slack_driver import (
    SlackDriver,
    block_buttons,
    block_texts,
    exported,
    picked,
    quick_report,
    sign,
    text_input,
)

FIXTURES = Path(__file__).resolve().parents[4] / "shared" / "fixtures"


def _view(call_args: dict[str, Any]) -> dict[str, Any]:
    view = call_args["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_signer_matches_slacks_documented_example() -> None:
    example_file = FIXTURES / "slack_signing_example.json"
    if not example_file.exists():
        pytest.skip("../shared/fixtures is not beside this clone (CI always has it)")
    example = json.loads(example_file.read_text())
    assert sign(example["secret"], example["timestamp"], example["body"]) == example["signature"]


async def test_bad_signature_and_stale_timestamp_are_refused(slack: SlackDriver) -> None:
    body = "command=%2Fclient&text=help&user_id=UANA"
    assert (await slack.post(body, signature="v0=" + "0" * 64)).status == 401
    stale = str(int(time.time()) - 6 * 60)
    assert (await slack.post(body, timestamp=stale)).status == 401
    assert (await slack.post("not even a form {", timestamp="soon")).status == 401
    # Only the outbox dispatcher's auth.test (which workspace the token is for) reached Slack.
    assert [call.method for call in slack.fake.calls if call.method != "auth.test"] == []


async def test_quick_report_then_undo(slack: SlackDriver) -> None:
    created = await quick_report(slack, '"Acme Corp" scope_creep wants two extra dashboards')
    assert created["response_type"] == "ephemeral"
    assert created["replace_original"] is True
    assert "Report filed about Acme Corp" in block_texts(created["blocks"])
    assert "1 of 2" in block_texts(created["blocks"])
    undo = block_buttons(created["blocks"])["Undo"]
    await slack.click(undo)
    undone = (await slack.fake.wait_for("respond", 3))[-1].args
    assert "voided" in block_texts(undone["blocks"])
    assert "0 of 2" in block_texts(undone["blocks"])


async def test_two_yellows_cross_and_staff_cannot_void(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" scope_creep one')
    second = await quick_report(slack, '"Acme Corp" moving_goalposts two')
    assert "Over the threshold" in block_texts(second["blocks"])
    await slack.command("/client", "void 1 not fair", user="UANA")
    refused = (await slack.fake.wait_for("respond", 4))[-1].args
    assert "Only managers" in block_texts(refused["blocks"])
    await slack.command("/client", '"Acme Corp"', user="UMARIA")
    card = (await slack.fake.wait_for("respond", 5))[-1].args
    assert "by Ana" in block_texts(card["blocks"])


async def test_guests_and_outsiders_are_refused(slack: SlackDriver) -> None:
    await slack.command("/report-client", "Acme abuse shouted", user="UGUEST")
    await slack.command("/client", "list", user="UOUT")
    replies = await slack.fake.wait_for("respond", 2)
    for reply in replies:
        assert reply.args["response_type"] == "ephemeral"
        assert "cannot use Yellowcard" in block_texts(reply.args["blocks"])


async def test_reply_in_the_users_language(slack: SlackDriver) -> None:
    await slack.command("/client", "help", user="UPILAR")
    [reply] = await slack.fake.wait_for("respond")
    assert "Comandos de Yellowcard" in block_texts(reply.args["blocks"])


async def test_modal_with_inline_errors_then_filed_once(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    assert (await slack.command("/report-client", "Acme")).status == 200
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    fields = {block["block_id"]: block for block in view["blocks"]}
    assert fields["client"]["element"]["type"] == "external_select"
    assert fields["client"]["element"]["initial_option"]["value"] == "Acme"
    assert fields["details"]["element"]["max_length"] == 3000
    assert fields["occurred_at"]["element"]["type"] == "datetimepicker"

    values = {
        "client": {"client": picked("Acme Corp", "external_select")},
        "category": {"category": picked("scope_creep")},
        "details": {"details": text_input("asked for a fourth dashboard")},
        "evidence_link": {"evidence_link": text_input("ftp://nowhere")},
    }
    invalid = await slack.submit(view, values, view_id="VREPORT")
    assert invalid.json()["response_action"] == "errors"
    assert set(invalid.json()["errors"]) == {"evidence_link"}

    values["evidence_link"] = {"evidence_link": text_input("https://test.slack.com/archives/C1/p1")}
    first = (await slack.submit(view, values, view_id="VREPORT")).json()
    again = (await slack.submit(view, values, view_id="VREPORT")).json()
    assert first["response_action"] == "update"
    assert "Report filed about Acme Corp" in block_texts(first["view"]["blocks"])
    assert "already filed" in block_texts(again["view"]["blocks"])
    await slack.command("/client", '"Acme Corp"')
    card = (await slack.fake.wait_for("respond", 3))[-1].args
    assert "1 of 2" in block_texts(card["blocks"])


async def test_client_type_ahead(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    options = await slack.type_ahead("acm")
    assert [option["text"]["text"] for option in options] == ["Acme Corp", "New client: acm"]
    assert options[0]["value"].startswith("client-id:")
    assert options[1]["value"] == "new:acm"


async def test_a_long_client_name_is_picked_by_id(slack: SlackDriver) -> None:
    name = "Acme " + "Holdings " * 20  # longer than Slack's 150-character option values
    await quick_report(slack, f'"{name.strip()}" expectation_mismatch wants SAP')
    option = (await slack.type_ahead("acme holdings"))[0]
    assert option["text"]["text"].endswith("…")  # the label is cut, the id is whole
    await slack.command("/report-client", "")
    [opened] = await slack.fake.wait_for("views.open")
    values = {
        "client": {"client": picked(option["value"], "external_select")},
        "category": {"category": picked("scope_creep")},
        "details": {"details": text_input("a fourth dashboard")},
    }
    filed = (await slack.submit(_view(opened.args), values)).json()
    assert "1 of 2" in block_texts(filed["view"]["blocks"])


async def test_message_shortcut_prefills_the_evidence(slack: SlackDriver) -> None:
    slack.fake.add_user("UCLIENT", team_id="TCLIENTORG", real_name="Bob Client")
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "yc_report_from_message",
            "user": {"id": "UANA", "team_id": slack.fake.team_id},
            "channel": {"id": "C1", "name": "acme-support"},
            "message": {
                "type": "message",
                "user": "UCLIENT",
                "ts": "1764000000.000100",
                "text": "you people are useless",
            },
            "response_url": slack.fake.response_url(),
        }
    )
    [opened] = await slack.fake.wait_for("views.open")
    fields = {block["block_id"]: block for block in _view(opened.args)["blocks"]}
    assert fields["evidence_text"]["element"]["initial_value"] == "you people are useless"
    assert fields["evidence_link"]["element"]["initial_value"].endswith("/C1/p1764000000000100")
    assert fields["evidence_author"]["element"]["initial_value"] == "Client"
    assert fields["evidence_written_at"]["element"]["initial_date_time"] == 1764000000


async def test_app_home(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" abuse shouted at Ana', user="UANA")
    answer = await slack.event(
        {"type": "app_home_opened", "user": "UMARIA", "channel": "D1", "tab": "home"}
    )
    assert answer.status == 200
    [published] = await slack.fake.wait_for("views.publish")
    view = _view(published.args)
    assert view["type"] == "home"
    text = block_texts(view["blocks"])
    assert "Decisions waiting" in text
    assert "Acme Corp" in text
    assert "Report a client" in block_buttons(view["blocks"])


async def test_rate_limited_web_api_call_is_retried(slack: SlackDriver) -> None:
    slack.fake.rate_limited["views.open"] = 1
    await slack.command("/report-client", "")
    await slack.fake.wait_for("views.open", within=15)
    assert len(slack.fake.made("views.open:429")) == 1


async def test_slack_connect_submission_from_another_org_is_refused(slack: SlackDriver) -> None:
    await slack.command("/report-client", "", user="UANA")
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    # As Slack sends it from a shared channel: the top-level team is the other organisation's.
    answer = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "TOTHERORG", "domain": "other"},
            "user": {"id": "UOUT", "team_id": "TOTHERORG"},
            "view": {
                "id": "VX",
                "team_id": "TOTHERORG",
                "app_installed_team_id": slack.fake.team_id,
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view["private_metadata"],
                "state": {"values": {}},
            },
        }
    )
    # Refused as an outsider; and the parked form was Ana's, so nothing of it is used.
    assert answer.json()["response_action"] == "update"
    assert "cannot use Yellowcard" in block_texts(answer.json()["view"]["blocks"])


async def test_user_facts_are_cached(slack: SlackDriver) -> None:
    for _ in range(3):
        await slack.command("/client", "help", user="UANA")
    await slack.fake.wait_for("respond", 3)
    assert len(slack.fake.made("users.info")) == 1


async def test_long_texts_are_cut_not_rejected(slack: SlackDriver) -> None:
    long_name = "Acme " + "Holdings " * 20
    created = await quick_report(slack, f'"{long_name.strip()}" scope_creep ' + "x" * 2990)
    header = next(block for block in created["blocks"] if block["type"] == "header")
    assert len(header["text"]["text"]) <= 150
    assert header["text"]["text"].endswith("…")


async def test_double_click_on_a_report_button_files_once(slack: SlackDriver) -> None:
    await slack.command("/report-client", '"Acme Corp" scope_creep one more dashboard')
    [reply] = await slack.fake.wait_for("respond")
    create = block_buttons(reply.args["blocks"])["Create “Acme Corp”"]
    await asyncio.gather(slack.click(create), slack.click(create))
    replies = await slack.fake.wait_for("respond", 3)
    texts = [block_texts(call.args["blocks"]) for call in replies[1:]]
    assert sum("Report filed" in text for text in texts) == 1
    assert sum("already filed" in text for text in texts) == 1


async def test_a_button_works_only_for_the_person_it_was_shown_to(slack: SlackDriver) -> None:
    created = await quick_report(slack, '"Acme Corp" scope_creep one')
    undo = block_buttons(created["blocks"])["Undo"]
    await slack.click(undo, user="UMARIA")
    [*_, refused] = await slack.fake.wait_for("respond", 3)
    assert "expired" in block_texts(refused.args["blocks"])
    forged = undo.rsplit(".", 1)[0] + "." + "0" * 32
    await slack.click(forged, user="UANA")
    [*_, forged_reply] = await slack.fake.wait_for("respond", 4)
    assert "expired" in block_texts(forged_reply.args["blocks"])
    await slack.command("/client", '"Acme Corp"')
    [*_, card] = await slack.fake.wait_for("respond", 5)
    assert "1 of 2" in block_texts(card.args["blocks"])


async def test_errors_in_the_command_show_on_the_opened_form(slack: SlackDriver) -> None:
    await slack.command("/report-client", "Acme nonsense he was rude")
    [opened] = await slack.fake.wait_for("views.open")
    first = _view(opened.args)["blocks"][0]
    assert first["type"] == "section"
    assert "“nonsense” is not a category" in first["text"]["text"]


async def test_a_retried_event_is_acknowledged_and_handled(slack: SlackDriver) -> None:
    event = {"type": "app_home_opened", "user": "UANA", "channel": "D1", "tab": "home"}
    first = await slack.event(event, event_id="Ev1")
    again = await slack.event(event, event_id="Ev1", retry=1)
    assert (first.status, again.status) == (200, 200)
    assert len(await slack.fake.wait_for("views.publish", 2)) == 2


async def test_a_long_quoted_message_reaches_the_report_whole(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP', user="UMARIA")
    slack.fake.add_user("UCLIENT", team_id="TCLIENTORG")
    long_text = "you are all useless. " * 250  # 5,250 characters: more than an input holds
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "yc_report_from_message",
            "user": {"id": "UMARIA", "team_id": slack.fake.team_id},
            "channel": {"id": "C1"},
            "message": {
                "type": "message",
                "user": "UCLIENT",
                "ts": "1764000000.000200",
                "text": long_text,
            },
            "response_url": slack.fake.response_url(),
        }
    )
    [opened] = await slack.fake.wait_for("views.open")
    view = _view(opened.args)
    assert "evidence_text" not in {block.get("block_id") for block in view["blocks"]}
    values = {
        "client": {"client": picked("Acme Corp", "external_select")},
        "category": {"category": picked("abuse")},
        "details": {"details": text_input("insulted the whole team in the channel")},
    }
    filed = (await slack.submit(view, values, user="UMARIA")).json()
    assert "Report filed" in block_texts(filed["view"]["blocks"])
    export = (await exported(slack, '"Acme Corp"'))["export"]
    [abuse] = [row for row in export["incidents"] if row["category"] == "abuse"]
    assert abuse["evidence_text"] == long_text


async def test_a_chosen_language_wins_over_slacks(slack: SlackDriver) -> None:
    # UPILAR's Slack is in Spanish; she works with Japanese clients.
    await slack.command("/client", "settings my-language ja", user="UPILAR")
    await slack.fake.wait_for("respond")
    before = len(slack.fake.made("respond"))
    await slack.command("/client", "help", user="UPILAR")
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    assert "Yellowcard のコマンド" in block_texts(reply.args["blocks"])


async def test_a_mistyped_subcommand_is_offered_back(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" scope_creep wants a third dashboard for free')
    before = len(slack.fake.made("respond"))
    await slack.command("/client", "hisotry Acme Corp")
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    text = block_texts(reply.args["blocks"])
    assert "Did you mean /client history Acme Corp?" in text
    assert "No client is called “hisotry Acme Corp”." in text
