"""``/client export`` in Slack: the manager gets the client's record as a JSON file in their
direct messages, uploaded by the outbox the way the weekly summary's chart is."""

import logging

import pytest

from tests.support.slack_driver import SlackDriver, block_texts, exported, quick_report

DETAILS = "wants a third dashboard for free"


async def test_the_manager_gets_a_json_file_in_a_direct_message(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    await quick_report(slack, f'"Acme Corp" scope_creep {DETAILS}')
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    upload = await exported(slack, '"Acme Corp"')

    # The answer to the command is short and private: the file is on its way.
    [answer] = [
        call.args
        for call in slack.fake.made("respond")
        if "on its way" in block_texts(call.args["blocks"])
    ]
    assert answer["response_type"] == "ephemeral"
    assert "The export of Acme Corp is on its way to you in a direct message" in block_texts(
        answer["blocks"]
    )
    # A message in the manager's direct messages says what it is; the file follows it there.
    [intro] = slack.fake.posted_to("UMARIA")
    assert "Export of Acme Corp" in block_texts(intro["blocks"])
    assert "The export holds 1 report" in block_texts(intro["blocks"])
    assert upload["asked"]["filename"] == "Acme-Corp-export.json"
    assert upload["completed"]["channel_id"] == "DMARIA"
    export = upload["export"]
    assert export["client"]["name"] == "Acme Corp"
    assert [row["details"] for row in export["incidents"]] == [DETAILS]
    # What the file holds is never logged, even at the debug level.
    assert caplog.records, "the debug log was captured"
    assert DETAILS not in caplog.text
    assert "exported_at" not in caplog.text


async def test_staff_are_refused_and_nothing_is_uploaded(slack: SlackDriver) -> None:
    await quick_report(slack, f'"Acme Corp" scope_creep {DETAILS}')
    before = len(slack.fake.made("respond"))
    await slack.command("/client", 'export "Acme Corp"', user="UANA")
    [*_, refused] = await slack.fake.wait_for("respond", before + 1)
    assert "Only managers can do that" in block_texts(refused.args["blocks"])
    assert slack.fake.made("files.getUploadURLExternal") == []
    assert slack.fake.posted_to("UANA") == []
