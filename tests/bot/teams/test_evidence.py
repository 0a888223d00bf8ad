"""What happened, where managers decide, in Teams: the ping a manager gets shows the details and
the quoted message cut short, in a card Teams accepts, and its button shows the whole report in
pages that each fit in a message."""

import json
from typing import Any

from tests.support.fake_connector import Sent
from tests.support.teams_driver import TeamsDriver, card_buttons, card_texts, personal_chat

# 8,960 characters of Japanese: three bytes each, more than one Teams message holds.
QUOTE = "あなたたちは本当に役に立たない。" * 560
DETAILS = "電話でアナさんを怒鳴りつけ、チーム全員を無能だと言いました。" * 10
# Teams refuses a message over about 28 KB.
TEAMS_MESSAGE_BYTES = 28_000


def _bytes(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def _paragraphs(card: dict[str, Any]) -> str:
    """The text of a page of the whole report: its paragraphs, without the heading (the first
    text) or the page number (the last, before the buttons)."""
    texts = [element["text"] for element in card["body"] if element["type"] == "TextBlock"]
    return "".join(texts[1:-1])


async def _file_from_message(teams: TeamsDriver) -> None:
    """Ana creates Acme, then reports a client's message about it as abuse of staff."""
    unknown = await teams.say("report-client Acme expectation_mismatch wants SAP")
    create = next(d for label, d in card_buttons(unknown.cards[0]).items() if "Create" in label)
    await teams.submit(unknown, create)
    payload = {
        "id": "1111111111",
        "createdDateTime": "2026-11-20T21:29:36.065Z",
        "body": {"contentType": "html", "content": f"<p>{QUOTE}</p>"},
        "from": {"user": {"id": "u-client", "displayName": "Carl Client"}},
        "linkToMessage": "https://teams.microsoft.com/l/message/19:x/1111111111",
    }
    fetched = await teams.invoke(
        "composeExtension/fetchTask",
        {"commandId": "reportClient", "commandContext": "message", "messagePayload": payload},
    )
    card = fetched.json()["task"]["value"]["card"]["content"]
    [(_label, data)] = card_buttons(card).items()
    submitted = await teams.invoke(
        "composeExtension/submitAction",
        {
            "commandId": "reportClient",
            "commandContext": "message",
            "data": {**data, "client": "Acme", "category": "abuse", "details": DETAILS},
        },
    )
    assert "Report filed about Acme" in submitted.json()["task"]["value"]


async def test_the_ping_in_teams_shows_the_evidence_and_the_whole_report_in_pages(
    teams: TeamsDriver,
) -> None:
    await teams.say("client settings my-language ja", user="29:maria")
    await _file_from_message(teams)

    def ping() -> Sent | None:
        return next(
            (
                item
                for item in teams.private_answers("29:maria")
                if item.kind == "send"
                and item.cards
                and "スタッフの安全" in card_texts(item.cards[0])
            ),
            None,
        )

    sent = await teams.connector.wait_until(ping)
    card = sent.cards[0]
    text = card_texts(card)
    assert "レッドカード 1 件（レッドカードは 1 件だけでクライアントがしきい値を超えます）" in text
    assert f"詳細：{DETAILS[:100]}" in text
    assert DETAILS not in text
    assert f"証拠：「{QUOTE[:199]}…」" in text
    assert "投稿者：Carl Client" in text
    assert "https://teams.microsoft.com/l/message/19:x/1111111111" in text
    assert _bytes(card) < TEAMS_MESSAGE_BYTES
    buttons = card_buttons(card)
    assert "アカウント担当者を指定" in buttons
    [read] = [data for label, data in buttons.items() if label.endswith("の全文を表示")]

    pages = [await teams.submit(sent, read, user="29:maria")]
    while True:
        page = pages[-1].cards[0]
        assert _bytes(page) < TEAMS_MESSAGE_BYTES
        following = card_buttons(page).get("次のページ")
        if following is None:
            break
        pages.append(await teams.submit(pages[-1], following, user="29:maria"))
    assert len(pages) > 1
    whole = "".join(_paragraphs(page.cards[0]) for page in pages)
    assert whole.count("あなたたちは本当に役に立たない。") == 560
    assert DETAILS in whole
    assert "報告者：Ana" in card_texts(pages[0].cards[0])
    assert teams.private_answers("29:maria")[-1].conversation_id == personal_chat("29:maria")
