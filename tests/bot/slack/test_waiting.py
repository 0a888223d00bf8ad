"""``/client waiting`` in Slack: what waits on the managers, with the buttons that answer it."""

import json
import re

from tests.support.slack_driver import SlackDriver, block_buttons, block_texts, quick_report


async def _answer(slack: SlackDriver, text: str, *, user: str) -> str:
    """Run ``/client <text>`` as ``user``; the text of the private answer."""
    before = len(slack.fake.made("respond"))
    assert (await slack.command("/client", text, user=user)).status == 200
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    return block_texts(reply.args["blocks"])


async def _escalation_and_dispute(slack: SlackDriver) -> int:
    """Ana's two reports take Acme Corp over the threshold; made its account owner, she
    disputes the first strike. The first report's id."""
    first = await quick_report(slack, '"Acme Corp" scope_creep a third free dashboard')
    [report] = re.findall(r"#(\d+)", block_texts(first["blocks"]))
    crossed = await quick_report(slack, '"Acme Corp" moving_goalposts changed the brief')
    assert "Over the threshold" in block_texts(crossed["blocks"])
    await _answer(slack, 'owner "Acme Corp" <@UANA|ana>', user="UMARIA")
    disputed = await _answer(slack, f"dispute {report} it was our bug", user="UANA")
    assert "Your dispute" in disputed
    return int(report)


async def test_a_manager_sees_the_escalation_and_the_dispute(slack: SlackDriver) -> None:
    report = await _escalation_and_dispute(slack)
    before = len(slack.fake.made("respond"))
    await slack.command("/client", "waiting", user="UMARIA")
    [*_, reply] = await slack.fake.wait_for("respond", before + 1)
    assert reply.args["response_type"] == "ephemeral"
    text = block_texts(reply.args["blocks"])
    assert "Decisions waiting" in text
    assert "Acme Corp: over the threshold since" in text
    assert "Crossed with report #" in text
    assert "Nobody has acknowledged it yet." in text
    assert "Acme Corp: a strike disputed since" in text
    assert f"Ana disputes report #{report}: it was our bug" in text
    buttons = block_buttons(reply.args["blocks"])
    assert {"Decide", "Keep the strike", "Void the strike"} <= set(buttons)

    # Decide opens the decision's modal.
    await slack.click(buttons["Decide"], user="UMARIA")
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["submit"]["text"] == "Record the decision"


async def test_staff_are_refused_and_a_manager_reads_it_in_spanish(slack: SlackDriver) -> None:
    report = await _escalation_and_dispute(slack)
    refused = await _answer(slack, "waiting", user="UANA")
    assert "Only managers can do that" in refused
    await _answer(slack, "settings my-language es", user="UMARIA")
    spanish = await _answer(slack, "waiting", user="UMARIA")
    assert "Decisiones pendientes" in spanish
    assert "Acme Corp: supera el umbral desde el" in spanish
    assert f"Ana impugna el reporte #{report}: it was our bug" in spanish
