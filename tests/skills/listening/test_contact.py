"""A client far above the median contact: on the card and the board, as suggested answers
and a suggested report, and in the weekly summary."""

from skills.commands import LinkChannel
from skills.listening.hearing import HeardMessage, hear
from skills.replies import Actions
from tests.support.scenarios import heard_message, new_client
from tests.support.workspace import Workspace


async def test_far_above_the_median_shows_and_suggests_answers(workspace: Workspace) -> None:
    ws = workspace
    for name, channel in (
        ("Acme Corp", "C-acme"),
        ("Globex", "C-globex"),
        ("Initech", "C-initech"),
    ):
        await new_client(ws, name)
        await ws.run(LinkChannel(name, channel=channel))
    now = ws.clock.now
    for number in range(30):
        await hear(ws.services, heard_message(ws, f"a{number}", client=True, text="news?", at=now))
    for channel in ("C-globex", "C-initech"):
        for number in range(2):
            message = heard_message(ws, f"{channel}{number}", client=True, text="hi", at=now)
            await hear(ws.services, HeardMessage(**{**message.__dict__, "channel_id": channel}))
    card = await ws.say('/client "Acme Corp"', as_user="maria")
    assert card.data["contact"] == {"messages": 30, "median": 2, "far_above": True}
    assert any(
        button.command.category == "attention_hog"  # type: ignore[union-attr]
        for block in card.blocks
        if isinstance(block, Actions)
        for button in block.buttons
    )
    board = await ws.say("/client list", as_user="maria")
    marked = {row["name"]: row["far_above_contact"] for row in board.data["clients"]}
    assert marked == {"Acme Corp": True, "Globex": False, "Initech": False}
    step = await ws.say('/client assess "Acme Corp"', as_user="maria")
    assert step.form is not None
    values = {field.name: field.value for field in step.form.fields}
    assert values["costs_more_than_pays"] == "often"
    ws.clock.advance(days=7)
    summary = await ws.say("/client summary", as_user="maria")
    assert summary.data["contact"][0]["messages"] == 30
    assert summary.data["contact"][0]["far_above"] is True
