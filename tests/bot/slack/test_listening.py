"""Listening in Slack channels over real HTTP: signed Events API deliveries in, counters and
private notes out."""

import asyncio
import json
import time
from typing import Any

from aiohttp.test_utils import TestServer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_app
from storage.models import ContactSignal
from tests.support.fake_slack import running_fake_slack
from tests.support.slack_driver import (
    SlackDriver,
    block_buttons,
    block_texts,
    quick_report,
    slack_settings,
)


def _message(user: str, text: str, channel: str = "CSUP", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
        "channel_type": "channel",
        **extra,
    }


async def _card(slack: SlackDriver, expected: str) -> str:
    """The card once it shows ``expected`` (events are handled after their acknowledgement),
    or as it is after a few seconds."""
    text = ""
    for _ in range(40):
        before = len(slack.fake.made("respond"))
        await slack.command("/client", '"Acme Corp"', user="UMARIA")
        [*_, card] = await slack.fake.wait_for("respond", before + 1)
        text = block_texts(card.args["blocks"])
        if expected in text:
            break
        await asyncio.sleep(0.1)
    return text


async def _linked(slack: SlackDriver, channel: str = "CSUP") -> None:
    slack.fake.add_channel(channel, name="acme-support", members=["UANA", "UMARIA", "UOUT"])
    await quick_report(slack, '"Acme Corp" scope_creep wants a free dashboard')
    before = len(slack.fake.made("respond"))
    await slack.post_command_in(channel, "/client", 'link "Acme Corp"')
    [*_, linked] = await slack.fake.wait_for("respond", before + 1)
    assert "now linked to Acme Corp" in block_texts(linked.args["blocks"])


async def test_messages_are_counted_once_even_when_slack_retries(slack: SlackDriver) -> None:
    await _linked(slack)
    event = _message("UOUT", "Hello, any news on the export?")
    first = await slack.event(event, event_id="EvOne")
    again = await slack.event(event, event_id="EvOne", retry=1)
    assert (first.status, again.status) == (200, 200)
    await slack.event(_message("UANA", "Could you send the file again?"), event_id="EvTwo")
    await slack.event(_message("UOUT", "edited", subtype="message_changed"), event_id="EvThree")
    await slack.event(_message("UOUT", "bot says hi", bot_id="B1"), event_id="EvFour")
    await slack.event(_message("UOUT", "One more thing"), event_id="EvFive")
    assert "2 (median of clients: 2)" in await _card(slack, "2 (median of clients: 2)")
    await asyncio.sleep(0.3)  # anything counted twice would show by now
    assert "2 (median of clients: 2)" in await _card(slack, "2 (median of clients: 2)")


async def test_an_abusive_client_message_is_flagged_to_staff_only(slack: SlackDriver) -> None:
    await _linked(slack)
    await slack.event(_message("UOUT", "You are all useless idiots."), event_id="EvAbuse")
    notes = await slack.fake.wait_for("chat.postEphemeral", 2)
    assert sorted(note.args["user"] for note in notes) == ["UANA", "UMARIA"]
    note = next(note for note in notes if note.args["user"] == "UANA")
    blocks = note.args["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    assert "may be abusive" in block_texts(blocks)
    await slack.click(block_buttons(blocks)["Report as abuse"], user="UANA")
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert "You are all useless idiots." in json.dumps(view)


async def test_a_burst_of_abuse_lists_the_channel_once(slack: SlackDriver) -> None:
    await _linked(slack)
    for n in range(3):
        await slack.event(_message("UOUT", f"You are all useless idiots. ({n})"))
    await slack.fake.wait_for("chat.postEphemeral", 6)
    assert len(slack.fake.made("conversations.members")) == 1


async def test_a_shared_channel_links_itself_to_the_client_of_its_organisation(
    slack: SlackDriver,
) -> None:
    slack.fake.add_channel(
        "CSHARED",
        name="acme-shared",
        is_ext_shared=True,
        connected_team_ids=[slack.fake.team_id, "TOTHERORG"],
    )
    await quick_report(slack, '"Acme Corp" scope_creep wants a free dashboard')
    await slack.post_command_in("CSHARED", "/client", 'link "Acme Corp"')
    await slack.fake.wait_for("respond", 3)
    slack.fake.add_channel("CNEW", name="acme-new", members=["UANA", "UOUT"])
    await slack.event(_message("UOUT", "Hi team", channel="CNEW"), event_id="EvNew")
    card = await _card(slack, "1 (median of clients: 1)")
    assert "1 (median of clients: 1)" in card


async def test_a_delivery_naming_the_other_organisation_counts_for_this_workspace(
    slack: SlackDriver,
) -> None:
    await _linked(slack)
    message = _message("UOUT", "Hello from the other side")
    assert (await slack.event(message, envelope_team="TOTHERORG")).status == 200
    assert "1 (median of clients: 1)" in await _card(slack, "1 (median of clients: 1)")


async def test_the_own_workspace_is_never_a_clients_organisation(slack: SlackDriver) -> None:
    # An internal channel: Slack lists the workspace itself among its teams.
    slack.fake.add_channel("CINTERNAL", name="acme-notes", shared_team_ids=[slack.fake.team_id])
    await quick_report(slack, '"Acme Corp" scope_creep wants a free dashboard')
    await slack.post_command_in("CINTERNAL", "/client", 'link "Acme Corp"')
    await slack.fake.wait_for("respond", 3)
    # A guest of the workspace itself, in an unlinked channel: nothing links, nothing counts.
    slack.fake.add_channel("CPAYROLL", name="payroll", members=["UANA", "UGUEST"])
    await slack.event(_message("UGUEST", "Hi", channel="CPAYROLL"), event_id="EvPayroll")
    await slack.event(_message("UGUEST", "Hi", channel="CINTERNAL"), event_id="EvNotes")
    assert "1 (median of clients: 1)" in await _card(slack, "1 (median of clients: 1)")
    await asyncio.sleep(0.3)
    assert "1 (median of clients: 1)" in await _card(slack, "1 (median of clients: 1)")


async def test_the_shortcut_in_a_linked_channel_names_its_client(slack: SlackDriver) -> None:
    await _linked(slack)
    await slack.interact(
        {
            "type": "message_action",
            "callback_id": "yc_report_from_message",
            "user": {"id": "UANA", "team_id": slack.fake.team_id},
            "channel": {"id": "CSUP", "name": "acme-support"},
            "message": {"type": "message", "user": "UOUT", "ts": "1764000000.000100", "text": "hm"},
            "response_url": slack.fake.response_url(),
        }
    )
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [client] = [block for block in view["blocks"] if block.get("block_id") == "client"]
    assert client["element"]["initial_option"]["value"].startswith("client-id:")


async def test_messages_answered_before_a_shutdown_are_still_counted(
    database_url: str, engine: AsyncEngine
) -> None:
    async with running_fake_slack() as fake:
        fake.add_user("UANA")
        fake.add_user("UMARIA", is_admin=True)
        fake.add_user("UOUT", team_id="TOTHERORG")
        server = TestServer(create_app(slack_settings(database_url, fake)))
        await server.start_server()
        slack = SlackDriver(str(server.make_url("/")), fake)
        await _linked(slack)
        # Sixty people Yellowcard has not met, and a slow Slack: when the server stops, each
        # message is still waiting for users.info.
        for n in range(60):
            fake.add_user(f"UCLIENT{n}", team_id="TOTHERORG")
        fake.delays["users.info"] = 0.5
        answers = await asyncio.gather(
            *(slack.event(_message(f"UCLIENT{n}", f"message {n}")) for n in range(60))
        )
        assert {answer.status for answer in answers} == {200}
        # Slack has its answers; the server stops at once, as on a deploy.
        await server.close()
    async with engine.connect() as connection:
        counted = await connection.scalar(
            select(func.sum(ContactSignal.client_messages)).where(
                ContactSignal.tenant_id == f"slack:{fake.team_id}"
            )
        )
    assert counted == 60
