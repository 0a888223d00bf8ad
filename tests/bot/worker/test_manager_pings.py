"""Manager pings over real HTTP: the app's own dispatcher sends them to the fake Slack Web API."""

import asyncio
import json
from typing import Any

from tests.support.slack_driver import SlackDriver, block_buttons, block_texts, picked, quick_report


def _copies(slack: SlackDriver, person: str) -> list[tuple[tuple[str, str], dict[str, Any]]]:
    dm = "D" + person[1:]
    return [(key, args) for key, args in slack.fake.messages.items() if key[0] == dm]


async def _cross(slack: SlackDriver) -> None:
    await quick_report(slack, '"Acme Corp" scope_creep wants a third dashboard for free')
    await quick_report(slack, '"Acme Corp" moving_goalposts changed the brief again')


async def test_a_crossing_pings_each_admin_once_and_the_first_decision_updates_every_copy(
    slack: SlackDriver,
) -> None:
    slack.fake.add_user("UBOSS", is_owner=True)
    await _cross(slack)
    await slack.fake.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.3)  # time for a duplicate to show up, if there were one
    assert len(slack.fake.made("users.list")) == 1
    maria, boss = _copies(slack, "UMARIA"), _copies(slack, "UBOSS")
    assert (len(maria), len(boss)) == (1, 1)
    (where, ping) = maria[0]
    text = block_texts(ping["blocks"])
    assert "Acme Corp crossed the threshold" in text
    assert "2 of 2" in text
    assert "Scope creep" in text
    assert "by Ana" in text
    buttons = block_buttons(ping["blocks"])
    assert list(buttons) == [
        "Acknowledge",
        "Keep them, on our terms",
        "Have a real conversation",
        "Refer them elsewhere",
        "Start offboarding",
        "Clear the strikes",
    ]

    await slack.click(buttons["Keep them, on our terms"], user="UMARIA", message=where)
    await slack.fake.wait_for("chat.update", 2)
    for _where, copy in _copies(slack, "UMARIA") + _copies(slack, "UBOSS"):
        assert "Decided by Maria" in block_texts(copy["blocks"])
        assert block_buttons(copy["blocks"]) == {}

    # Bob's copy was drawn before; his click is told who decided, and changes nothing.
    (boss_where, boss_ping) = boss[0]
    late = block_buttons(boss_ping["blocks"])["Start offboarding"]
    before = len(slack.fake.made("respond"))
    await slack.click(late, user="UBOSS", message=boss_where)
    [*_, answer] = await slack.fake.wait_for("respond", before + 1)
    assert "Someone answered this before you" in block_texts(answer.args["blocks"])
    assert answer.args["replace_original"] is False
    await slack.command("/client", '"Acme Corp"', user="UMARIA")
    [*_, card] = await slack.fake.wait_for("respond", before + 2)
    assert "Kept, on our terms" in block_texts(card.args["blocks"])


async def test_acknowledge_shows_on_every_copy_and_keeps_the_decisions(slack: SlackDriver) -> None:
    slack.fake.add_user("UBOSS", is_owner=True)
    await _cross(slack)
    await slack.fake.wait_for("chat.postMessage", 2)
    (where, ping) = _copies(slack, "UBOSS")[0]
    await slack.click(block_buttons(ping["blocks"])["Acknowledge"], user="UBOSS", message=where)
    await slack.fake.wait_for("chat.update", 2)
    for _where, copy in _copies(slack, "UMARIA") + _copies(slack, "UBOSS"):
        assert "Acknowledged by Boss" in block_texts(copy["blocks"])
        assert "Acknowledge" not in block_buttons(copy["blocks"])
        assert "Start offboarding" in block_buttons(copy["blocks"])


async def test_a_listed_manager_is_pinged_not_the_admins(slack: SlackDriver) -> None:
    slack.fake.add_user("UPILAR_BOSS")
    await slack.command("/client", "settings managers add <@UPILAR_BOSS|pilar>", user="UMARIA")
    await slack.fake.wait_for("respond")
    await _cross(slack)
    [posted] = await slack.fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "UPILAR_BOSS"
    assert slack.fake.made("users.list") == []


async def test_a_429_then_a_500_is_delivered_once_after_retries(slack: SlackDriver) -> None:
    slack.fake.rate_limited["chat.postMessage"] = 1
    slack.fake.failing["chat.postMessage"] = 1
    await _cross(slack)
    await slack.fake.wait_for("chat.postMessage", within=20)
    await asyncio.sleep(0.5)
    assert len(slack.fake.made("chat.postMessage:429")) == 1
    assert len(slack.fake.made("chat.postMessage:500")) == 1
    assert len(slack.fake.made("chat.postMessage")) == 1
    assert len(_copies(slack, "UMARIA")) == 1


async def test_a_staff_safety_report_on_an_account_nobody_owns_offers_to_name_an_owner(
    slack: SlackDriver,
) -> None:
    await quick_report(slack, '"Globex" abuse called Ana names on the phone')
    await slack.fake.wait_for("chat.postMessage")
    (where, ping) = _copies(slack, "UMARIA")[0]
    assert "Staff safety: Globex crossed the threshold" in block_texts(ping["blocks"])
    # Ana does not own the account: there is nothing to move her off.
    assert "Move Ana off the account" not in block_buttons(ping["blocks"])
    name = block_buttons(ping["blocks"])["Name an account owner"]
    await slack.click(name, user="UMARIA", message=where)
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [client_block] = [block for block in view["blocks"] if block.get("block_id") == "client"]
    client_value = client_block["element"]["initial_option"]["value"]
    answer = await slack.submit(
        view,
        {
            "client": {"client": picked(client_value, "external_select")},
            "owner": {"owner": {"type": "users_select", "selected_user": "UPILAR"}},
        },
        user="UMARIA",
    )
    assert "<@UPILAR> is now the account owner of Globex" in block_texts(
        answer.json()["view"]["blocks"]
    )
    # The copy is refreshed to show the new owner, and offers no other owner now.
    await slack.fake.wait_for("chat.update")
    refreshed = _copies(slack, "UMARIA")[0][1]["blocks"]
    assert "<@UPILAR>" in block_texts(refreshed)
    assert "Name an account owner" not in block_buttons(refreshed)


async def test_a_deleted_copy_does_not_stop_the_others_being_updated(slack: SlackDriver) -> None:
    slack.fake.add_user("UBOSS", is_owner=True)
    await _cross(slack)
    await slack.fake.wait_for("chat.postMessage", 2)
    (boss_where, _boss_ping) = _copies(slack, "UBOSS")[0]
    del slack.fake.messages[boss_where]  # Bob deleted his copy
    (where, ping) = _copies(slack, "UMARIA")[0]
    await slack.click(
        block_buttons(ping["blocks"])["Start offboarding"], user="UMARIA", message=where
    )
    await slack.fake.wait_for("chat.update")
    await asyncio.sleep(0.3)
    assert "Decided by Maria" in block_texts(_copies(slack, "UMARIA")[0][1]["blocks"])
    await slack.command("/client", "settings", user="UMARIA")
    [*_, settings] = await slack.fake.wait_for("respond", 2)
    assert "could not deliver" not in block_texts(settings.args["blocks"])


async def test_a_managers_chosen_language_draws_their_ping(slack: SlackDriver) -> None:
    slack.fake.add_user("UBOSS", is_owner=True)
    await slack.command("/client", "settings my-language ja", user="UBOSS")
    await slack.fake.wait_for("respond")
    await _cross(slack)
    await slack.fake.wait_for("chat.postMessage", 2)
    [(_where, boss_ping)] = _copies(slack, "UBOSS")
    [(_where, maria_ping)] = _copies(slack, "UMARIA")
    assert "Acme Corpがしきい値を超えました" in block_texts(boss_ping["blocks"])
    assert "Acme Corp crossed the threshold" in block_texts(maria_ping["blocks"])


async def test_an_owner_must_be_a_person_not_a_name(slack: SlackDriver) -> None:
    slack.fake.add_user("UPILAR")
    await slack.command("/client", "owner Globex pilar", user="UMARIA")
    [opened] = await slack.fake.wait_for("views.open")
    assert "“pilar” is not someone Yellowcard can find. @mention the person." in json.dumps(
        opened.args["view"], ensure_ascii=False
    )
