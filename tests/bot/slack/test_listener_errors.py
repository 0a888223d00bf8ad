"""A listener that fails is logged with the error's type, never its message (which can quote
what Slack or a person sent)."""

import logging

import pytest

from tests.support.slack_driver import SlackDriver


async def test_a_failing_listener_logs_no_error_message(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.add_user("UNEW")
    slack.fake.failing["users.info"] = 1  # Slack answers 500, with its error text
    caplog.set_level(logging.INFO)
    view = {"id": "VFAIL", "callback_id": "yc_form", "private_metadata": ""}
    answer = await slack.submit(view, {}, user="UNEW")
    assert answer.status == 500
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert failures, "the failure is logged"
    for record in failures:
        assert "internal_error" not in record.getMessage(), record.getMessage()
    assert any("a Slack listener failed: SlackApiError" in r.getMessage() for r in failures)
