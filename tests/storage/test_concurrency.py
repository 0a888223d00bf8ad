"""Reports that cross the threshold at the same moment open exactly one escalation.

Each report runs in its own transaction on its own connection, all at once; on PostgreSQL the
client row lock serialises them, on SQLite the immediate write lock does.
"""

import asyncio

from skills.commands import ReportIncident
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def test_simultaneous_crossings_open_one_escalation(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep the first strike')
    reports = [
        workspace.run(ReportIncident("Acme Corp", "scope_creep", f"request {n}"), as_user=f"u{n}")
        for n in range(8)
    ]
    replies = await asyncio.gather(*reports)
    # Serialised on the client: each report saw every report committed before it.
    assert sorted(reply.data["client"]["active_strikes"] for reply in replies) == list(range(2, 10))
    assert sum(reply.data["escalation_opened"] for reply in replies) == 1
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert len(export["incidents"]) == 10
    assert len(export["escalations"]) == 1
    assert [ping["recipient_id"] for ping in export["outbox"]] == ["maria"]


async def test_simultaneous_duplicates_file_once(workspace: Workspace) -> None:
    await new_client(workspace)
    command = ReportIncident("Acme Corp", "scope_creep", "double click", idempotency_key="k-1")
    replies = await asyncio.gather(*(workspace.run(command) for _ in range(5)))
    assert len({reply.data["incident_id"] for reply in replies}) == 1
    assert sorted(reply.data["duplicate"] for reply in replies) == [False] + [True] * 4
