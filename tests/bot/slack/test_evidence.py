"""What happened, where managers decide, over real HTTP: the ping a manager gets in Slack, the
card and the history show each report's details and quoted message, cut to Slack's limits with
a button that shows the whole report."""

import json
from typing import Any

from tests.support.slack_driver import (
    SlackDriver,
    block_buttons,
    block_texts,
    picked,
    quick_report,
    text_input,
)

QUOTE = "you are all useless. " * 250  # 5,250 characters: more than a section holds
DETAILS = "Bob shouted at Ana on the support call and called the whole team incompetent. " * 4


async def _report_from_message(
    slack: SlackDriver, *, category: str, user: str = "UANA", ts: str = "1764000000.000200"
) -> dict[str, Any]:
    """File a report about Acme Corp from a client's message (the message shortcut); the
    result view."""
    slack.fake.add_user("UCLIENT", team_id="TCLIENTORG", real_name="Bob Client")
    before = len(slack.fake.made("views.open"))
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "yc_report_from_message",
            "user": {"id": user, "team_id": slack.fake.team_id},
            "channel": {"id": "C1"},
            "message": {"type": "message", "user": "UCLIENT", "ts": ts, "text": QUOTE},
            "response_url": slack.fake.response_url(),
        }
    )
    [*_, opened] = await slack.fake.wait_for("views.open", before + 1)
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    values = {
        "client": {"client": picked("Acme Corp", "external_select")},
        "category": {"category": picked(category)},
        "details": {"details": text_input(DETAILS)},
    }
    filed = (await slack.submit(view, values, user=user)).json()
    assert "Report filed" in block_texts(filed["view"]["blocks"])
    return dict(filed["view"])


def _words(text: str) -> str:
    # The whole report comes in paragraphs, split between words.
    return " ".join(text.split())


async def _whole_report(
    slack: SlackDriver, first: dict[str, Any], *, user: str, next_page: str = "Next"
) -> str:
    """The whole report's text, page after page from ``first`` (a respond call's arguments),
    its words each one space apart; every page must fit in a Slack message."""
    texts: list[str] = []
    page = first
    while True:
        sections = [block["text"]["text"] for block in page["blocks"] if "text" in block]
        # Without the heading (on every page) and the page number (the last section).
        texts += sections[1:-1] if len(sections) > 2 else sections[1:]
        following = block_buttons(page["blocks"]).get(next_page)
        if following is None:
            return _words("\n".join(texts))
        before = len(slack.fake.made("respond"))
        await slack.click(following, user=user)
        [*_, answer] = await slack.fake.wait_for("respond", before + 1)
        assert answer.args["replace_original"] is True
        page = answer.args


def _read_in_full(blocks: list[dict[str, Any]], starts: str = "Read report #") -> str:
    """The value of the one button that shows a report in full (its label starts so)."""
    [value] = [value for label, value in block_buttons(blocks).items() if label.startswith(starts)]
    return value


async def test_the_ping_shows_the_evidence_cut_short_and_the_whole_report_on_a_click(
    slack: SlackDriver,
) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    await _report_from_message(slack, category="abuse")
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "UMARIA"
    [(where, ping)] = [
        (key, args) for key, args in slack.fake.messages.items() if key[0] == "DMARIA"
    ]
    text = block_texts(ping["blocks"])
    assert "Staff safety: Acme Corp crossed the threshold" in text
    assert "1 red card (a red card puts a client over the threshold on its own)" in text
    assert "1 of 2" not in text
    assert f"Details: {DETAILS[:100]}" in text
    assert DETAILS.strip() not in text
    assert "Evidence: “you are all useless. you are all useless." in text
    assert text.count("useless") < 20
    assert "written by Client, " in text
    assert "/archives/C1/p1764000000000200" in text
    buttons = block_buttons(ping["blocks"])
    assert "Name an account owner" in buttons
    assert "Move Ana off the account" not in buttons

    read = _read_in_full(ping["blocks"])
    await slack.click(read, user="UMARIA", message=where)
    [*_, whole] = await slack.fake.wait_for("respond", 3)  # two for the first report, then this
    assert whole.args["replace_original"] is False  # the ping stays as it is
    whole_text = await _whole_report(slack, whole.args, user="UMARIA")
    assert whole_text.count("you are all useless.") == 250
    assert _words(DETAILS) in whole_text
    assert "*Filed*" in block_texts(whole.args["blocks"])
    assert "by Ana" in block_texts(whole.args["blocks"])
    assert slack.fake.made("chat.postMessage:invalid") == []


async def test_the_card_and_the_history_show_the_evidence_in_spanish(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" expectation_mismatch wants SAP')
    await _report_from_message(slack, category="scope_creep")
    # Pilar's Slack speaks Spanish; she is staff, not a manager: the reporter is hidden.
    await slack.command("/client", '"Acme Corp"', user="UPILAR")
    [*_, card] = await slack.fake.wait_for("respond", 3)
    text = block_texts(card.args["blocks"])
    assert f"Detalles: {DETAILS[:100]}" in text
    assert "Prueba: “you are all useless." in text
    assert "escrito por Client, " in text
    assert "por alguien del equipo" in text
    assert "por Ana" not in text
    read = _read_in_full(card.args["blocks"], "Ver el reporte #")
    await slack.click(read, user="UPILAR")
    [*_, whole] = await slack.fake.wait_for("respond", 4)
    assert whole.args["replace_original"] is True  # in place of the card, as pages are
    whole_text = await _whole_report(slack, whole.args, user="UPILAR", next_page="Siguiente")
    assert whole_text.count("you are all useless.") == 250
    assert "por alguien del equipo" in block_texts(whole.args["blocks"])
    assert "por Ana" not in block_texts(whole.args["blocks"])

    before = len(slack.fake.made("respond"))
    await slack.command("/client", 'history "Acme Corp"', user="UANA")
    [*_, history] = await slack.fake.wait_for("respond", before + 1)
    text = block_texts(history.args["blocks"])
    assert "Evidence: “you are all useless." in text
    assert "by Ana" in text
    read = _read_in_full(history.args["blocks"])
    before = len(slack.fake.made("respond"))
    await slack.click(read, user="UANA")
    [*_, whole] = await slack.fake.wait_for("respond", before + 1)
    whole_text = await _whole_report(slack, whole.args, user="UANA")
    assert whole_text.count("you are all useless.") == 250
