"""An unexpected error is logged with its type and traceback, never with what the person sent:
not the report's text, not their name."""

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.logs import TEXT_FORMAT, JsonLinesFormatter, TextFormatter
from skills.commands import ReportIncident
from skills.core.context import Actor
from skills.dispatch import handle_or_apologise
from storage.database import is_sqlite
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace

DETAILS = "shouted at Ana about invoice 4471-QX on the Tuesday call"
REPORTER = "Zuzanna Quillfeather"


@asynccontextmanager
async def inserts_refused(engine: AsyncEngine, tenant_id: str) -> AsyncIterator[None]:
    """The database refuses every new report of this tenant (a trigger), so filing one fails
    inside the database, the way a driver or constraint error would."""
    name = f"refuse_{uuid.uuid4().hex[:12]}"
    sqlite = is_sqlite(engine.url.render_as_string())
    if sqlite:
        create = [
            f"CREATE TRIGGER {name} BEFORE INSERT ON incident WHEN NEW.tenant_id = '{tenant_id}' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
        drop = [f"DROP TRIGGER {name}"]
    else:
        create = [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
            f"CREATE TRIGGER {name} BEFORE INSERT ON incident FOR EACH ROW "
            f"WHEN (NEW.tenant_id = '{tenant_id}') EXECUTE FUNCTION {name}()",
        ]
        drop = [f"DROP TRIGGER {name} ON incident", f"DROP FUNCTION {name}()"]
    async with engine.begin() as connection:
        for statement in create:
            await connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        async with engine.begin() as connection:
            for statement in drop:
                await connection.exec_driver_sql(statement)


async def test_a_database_error_logs_no_report_text_or_name(
    workspace: Workspace, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    await new_client(workspace)
    reporter = Actor(workspace.tenant_id, "U0ZQ", REPORTER)
    report = ReportIncident("Acme Corp", "abuse", DETAILS, evidence_author=REPORTER)
    caplog.set_level(logging.DEBUG)
    async with inserts_refused(engine, workspace.tenant_id):
        reply = await handle_or_apologise(workspace.services, reporter, report, "en")

    assert reply.data == {"error": "internal"}
    # As the product writes its logs, in both formats.
    formatters = (TextFormatter(TEXT_FORMAT), JsonLinesFormatter())
    for record in caplog.records:
        for formatter in formatters:
            written = formatter.format(record)
            for secret in (DETAILS, "4471-QX", REPORTER, "Quillfeather"):
                assert secret not in written, (record.name, written)
    [failure] = [record for record in caplog.records if record.name == "skills.dispatch"]
    written = formatters[0].format(failure)
    # What failed, where, and the error's type: enough to find it in the code.
    assert "ReportIncident failed for U0ZQ" in written
    assert "Traceback (most recent call last)" in written
    assert "sqlalchemy.exc." in written
