"""A message's top-level ``text`` (its notification) is escaped as its blocks are, so a client's
name can never ping a channel."""

import asyncio

from tests.support.slack_driver import SlackDriver, quick_report

# How Slack sends "@channel" typed in a slash command (should_escape is on).
NAME = "<!channel> Evil"
ESCAPED = "&lt;!channel&gt; Evil"


async def test_a_client_name_never_pings_from_the_notification_text(slack: SlackDriver) -> None:
    filed = await quick_report(slack, f'"{NAME}" scope_creep wants two extra dashboards')
    assert ESCAPED in filed["text"]
    await quick_report(slack, f'"{NAME}" moving_goalposts changed the brief again')
    await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.2)  # the other managers' copies, if any
    dms = slack.fake.posted_to("UMARIA")
    assert len(dms) == 1
    assert dms[0]["text"] == f"{ESCAPED} crossed the threshold"

    texts = [call.args["text"] for call in slack.fake.made("respond")]
    texts += [args["text"] for args in slack.fake.messages.values()]
    assert len(texts) >= 4  # "no such client", "report filed", twice; the manager's ping
    assert all("<!channel>" not in text for text in texts), texts
