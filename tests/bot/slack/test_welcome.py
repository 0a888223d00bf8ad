"""Slack: the first time a person opens the App Home they are welcomed, once, in their own
language, with the managers named as Slack mentions; settings name them so too, and a mention
cannot be forged in what people type."""

import asyncio

from tests.support.slack_driver import SlackDriver, block_buttons, block_texts, quick_report

HOME = {"type": "app_home_opened", "channel": "D1"}


async def _welcomes(slack: SlackDriver, user: str, count: int = 1) -> list[str]:
    """The texts of the welcomes posted to ``user``, once ``count`` were."""
    await slack.fake.wait_for("chat.postMessage", count)
    return [
        block_texts(posted["blocks"])
        for posted in slack.fake.posted_to(user)
        if "Welcome to Yellowcard" in block_texts(posted["blocks"])
        or "Te damos la bienvenida" in block_texts(posted["blocks"])
    ]


async def test_the_first_open_welcomes_once(slack: SlackDriver) -> None:
    assert (await slack.event({**HOME, "user": "UANA", "tab": "messages"})).status == 200
    [welcome] = await _welcomes(slack, "UANA")
    assert "the workspace's admins and owners act as managers" in welcome
    assert "You are a manager" not in welcome
    [posted] = slack.fake.posted_to("UANA")
    assert set(block_buttons(posted["blocks"])) == {"Report a client", "Help"}

    assert (await slack.event({**HOME, "user": "UANA", "tab": "home"})).status == 200
    await slack.fake.wait_for("views.publish")
    await asyncio.sleep(0.3)
    assert len(slack.fake.made("chat.postMessage")) == 1, "welcomed once"


async def test_an_admin_is_told_they_act_as_a_manager(slack: SlackDriver) -> None:
    await slack.event({**HOME, "user": "UMARIA", "tab": "home"})
    [welcome] = await _welcomes(slack, "UMARIA")
    assert "You are one of the workspace's admins" in welcome
    assert "Add managers: /client settings managers add @person." in welcome


async def test_managers_are_named_as_mentions_in_spanish_too(slack: SlackDriver) -> None:
    await slack.command("/client", "settings managers add <@UMARIA|maria>", user="UMARIA")
    await slack.fake.wait_for("respond")
    await slack.command("/client", "settings", user="UANA")
    [_added, shown] = await slack.fake.wait_for("respond", 2)
    assert "*Managers*\n<@UMARIA>" in block_texts(shown.args["blocks"])

    await slack.event({**HOME, "user": "UPILAR", "tab": "messages"})
    [welcome] = await _welcomes(slack, "UPILAR")
    assert "El responsable es <@UMARIA>." in welcome

    await slack.command("/client", "settings threshold 3", user="UPILAR")
    [*_, refused] = await slack.fake.wait_for("respond", 3)
    assert "Pídeselo a <@UMARIA>." in block_texts(refused.args["blocks"])


async def test_a_name_is_not_added_as_a_manager(slack: SlackDriver) -> None:
    await slack.command("/client", "settings managers add pilar", user="UMARIA")
    [answer] = await slack.fake.wait_for("respond")
    assert "“pilar” is not someone Yellowcard can find" in block_texts(answer.args["blocks"])


async def test_a_guest_is_not_welcomed(slack: SlackDriver) -> None:
    await slack.event({**HOME, "user": "UGUEST", "tab": "messages"})
    await asyncio.sleep(0.5)
    assert slack.fake.made("chat.postMessage") == []


async def test_a_typed_mention_token_is_stripped(slack: SlackDriver) -> None:
    filed = await quick_report(slack, '"Acme \ufdd0UMARIA\ufdd1" scope_creep a third dashboard')
    texts = block_texts(filed["blocks"])
    assert "Report filed about Acme UMARIA" in texts
    assert "<@" not in texts
