"""Hearing messages in linked channels, on an injected clock: counters per ISO week, after
hours, mentions, ghosting, retries counted once, and counters dropped after their retention."""

from datetime import UTC, datetime, timedelta

from skills.commands import ExportClient, UnlinkChannel
from skills.listening.hearing import HeardMessage, count_ghosting, hear, purge_old_signals
from tests.support.scenarios import heard_message, linked_client
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
