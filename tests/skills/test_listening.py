"""Listening, on an injected clock: counters per ISO week, after hours, mentions, ghosting,
retries counted once, and forgetting a client."""

from datetime import UTC, datetime, timedelta

from skills.commands import ExportClient, ForgetClient, LinkChannel, UnlinkChannel
from skills.listening.hearing import HeardMessage, count_ghosting, hear, purge_old_signals
from skills.replies import Actions
from tests.support.scenarios import heard_message, linked_client, new_client
from tests.support.workspace import Workspace

# Monday 2 March 2026, 09:00 UTC: the fake clock's start; the tenant's timezone is UTC.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _signals(ws: Workspace) -> list[dict[str, object]]:
    export = await ws.run(ExportClient("Acme Corp"), as_user="maria")
    return list(export.data["export"]["signals"])


async def test_counters_per_week_once_per_event(workspace: Workspace) -> None:
    ws = workspace
    await linked_client(ws)
    await ws.say("/client settings escalation-people add <@ceo|Ceo>", as_user="maria")
    first = heard_message(
        ws, "e1", client=True, text="Hello <@ceo>, any news?", at=MONDAY, mentions=("ceo",)
    )
    assert (await hear(ws.services, first)).counted
    assert not (await hear(ws.services, first)).counted  # a redelivery
    saturday = MONDAY + timedelta(days=5)
    await hear(ws.services, heard_message(ws, "e2", client=True, text="Still waiting", at=saturday))
    await hear(
        ws.services, heard_message(ws, "e3", client=False, text="Looking into it.", at=MONDAY)
    )
    unlinked = heard_message(ws, "e4", client=True, text="Hi", at=MONDAY)
    assert (
        await hear(ws.services, HeardMessage(**{**unlinked.__dict__, "channel_id": "C-other"}))
    ).client_id is None
    [week] = await _signals(ws)
    assert week["week"] == "2026-W10"
    assert (week["client_messages"], week["staff_messages"]) == (2, 1)
    assert (week["after_hours"], week["escalation_mentions"], week["flagged"]) == (1, 1, 0)


async def test_a_question_left_unanswered_counts_after_the_business_days(
    workspace: Workspace,
) -> None:
    ws = workspace
    await linked_client(ws)
    await hear(
        ws.services, heard_message(ws, "q1", client=False, text="Can you send the logs?", at=MONDAY)
    )
    ws.clock.now = MONDAY + timedelta(days=3)  # Thursday: two business days later
    assert await count_ghosting(ws.services) == 0
    ws.clock.now = MONDAY + timedelta(days=3, hours=1)
    await hear(
        ws.services, heard_message(ws, "q2", client=False, text="And the config?", at=ws.clock.now)
    )
    ws.clock.now = MONDAY + timedelta(days=7, hours=1)  # next Monday: three business days
    assert await count_ghosting(ws.services) == 1
    assert await count_ghosting(ws.services) == 0  # each question counts once
    await hear(ws.services, heard_message(ws, "a1", client=True, text="Sent both", at=ws.clock.now))
    ws.clock.now = MONDAY + timedelta(days=14)
    assert await count_ghosting(ws.services) == 0  # the client answered the second one
    weeks = await _signals(ws)
    assert sum(int(week["unanswered"]) for week in weeks) == 1  # type: ignore[call-overload]


async def test_unlinking_does_not_leave_questions_to_count(workspace: Workspace) -> None:
    ws = workspace
    await linked_client(ws)
    await hear(
        ws.services, heard_message(ws, "u1", client=False, text="Can you send it?", at=MONDAY)
    )
    unlinked = await ws.run(UnlinkChannel(channel="C-acme"))
    assert unlinked.kind.value == "result"
    ws.clock.now = MONDAY + timedelta(days=14)
    assert await count_ghosting(ws.services) == 0


async def test_counters_are_dropped_after_their_retention(workspace: Workspace) -> None:
    ws = workspace
    await linked_client(ws)
    await hear(ws.services, heard_message(ws, "old", client=True, text="Hi", at=MONDAY))
    ws.clock.now = MONDAY + timedelta(days=410)
    assert await purge_old_signals(ws.services) >= 1
    assert await _signals(ws) == []


async def test_forget_removes_everything_and_the_export_shows_it_gone(workspace: Workspace) -> None:
    ws = workspace
    await linked_client(ws)
    await ws.say('/report-client "Acme Corp" abuse shouted at Ana')
    await hear(ws.services, heard_message(ws, "f1", client=True, text="Hi", at=MONDAY))
    refused = await ws.run(ForgetClient("Acme Corp"), as_user="ana")
    assert refused.kind.value == "refused"
    await ws.run(ExportClient("Acme Corp"), as_user="ana")  # refused too, audited by name
    preview = await ws.run(ForgetClient("Acme Corp"), as_user="maria")
    assert preview.data["preview"] is True
    confirm = next(block for block in preview.blocks if isinstance(block, Actions)).buttons[0]
    done = await ws.run(confirm.command, as_user="maria")
    deleted = done.data["deleted"]
    assert deleted["client"] == 1
    assert deleted["reports"] == 2
    assert deleted["escalations"] == 1
    assert deleted["signals"] == 1
    assert deleted["channel_links"] == 1
    gone = await ws.run(ExportClient("Acme Corp"), as_user="maria")
    assert gone.data["error"] == "unknown_client"
    relinked = await hear(ws.services, heard_message(ws, "f2", client=True, text="Hi", at=MONDAY))
    assert relinked.client_id is None
    async with ws.services.unit_of_work() as uow:
        for subject in ("Acme Corp", "acmecorp"):
            assert await uow.audit.for_subject(ws.tenant_id, "client", subject) == []


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
