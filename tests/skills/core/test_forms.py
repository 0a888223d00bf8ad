"""Parked forms: found again by id, and deleted once expired (they hold what people typed)."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from skills.commands import ReportIncident
from skills.core.forms import PARKED_FOR, park_command, parked_command, purge_expired_forms
from tests.support.clock import FakeClock
from tests.support.workspace import Workspace


async def test_an_expired_parked_form_is_deleted(
    workspace: Workspace, engine: AsyncEngine, clock: FakeClock
) -> None:
    ana = workspace.person("ana")
    command = ReportIncident("Acme Corp", "abuse", "what the client wrote, quoted in full")
    parked = await park_command(workspace.services, ana, command)
    await purge_expired_forms(workspace.services)
    assert await parked_command(workspace.services, ana, parked) == command  # not expired yet
    clock.advance(seconds=PARKED_FOR.total_seconds() + 1)
    assert await purge_expired_forms(workspace.services) >= 1
    async with engine.connect() as connection:
        left = await connection.execute(
            text("SELECT count(*) FROM dialogsession WHERE id = :id"), {"id": parked}
        )
        assert left.scalar_one() == 0
