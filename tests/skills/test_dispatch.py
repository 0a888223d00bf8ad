"""Control characters in what people send are removed where commands come in, on every path:
typed commands, submitted forms, the assessment's collected answers and display names."""

from typing import Any

from skills.assessment.bank import bank
from skills.commands import ReportIncident
from skills.core.context import Actor
from skills.core.forms import submitted_command
from skills.dispatch import handle
from skills.replies import ReplyKind
from skills.text.command_parser import parse_command
from tests.support.scenarios import answer_step, new_client
from tests.support.workspace import Workspace

# NUL (which PostgreSQL refuses), bell, escape, delete and a C1 control.
NOISE = "\x00\x07\x1b\x7f\x9b"
STEPS = len(bank().steps)


async def _last_report(ws: Workspace) -> dict[str, Any]:
    export = await ws.say('/client export "Acme Corp"', as_user="maria")
    report: dict[str, Any] = max(export.data["export"]["incidents"], key=lambda row: row["id"])
    return report


async def test_a_typed_report_is_stored_without_control_characters(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    typed = f'/report-client "Acme Corp" scope_creep as{NOISE}ked for\r\nmore\rwork,\tagain'
    reply = await handle(
        workspace.services,
        Actor(workspace.tenant_id, "ana", f"Ana{NOISE} Lima"),
        parse_command(typed),
    )
    assert reply.kind is ReplyKind.RESULT
    report = await _last_report(workspace)
    # Carriage returns, alone or before a newline, become one newline each; tabs stay.
    assert report["details"] == "asked for\nmore\nwork,\tagain"
    assert report["reporter_name"] == "Ana Lima"


async def test_a_submitted_form_is_stored_without_control_characters(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    form = (await workspace.say("/report-client")).form
    assert form is not None
    values = {
        "client": f"Acme{NOISE} Corp",
        "category": f"scope{NOISE}_creep",
        "details": f"two extra{NOISE} dashboards",
    }
    filed = await workspace.run(submitted_command(form.command, values, "form:1"))
    assert filed.kind is ReplyKind.RESULT, filed
    report = await _last_report(workspace)
    assert (report["category"], report["details"]) == ("scope_creep", "two extra dashboards")


async def test_evidence_fields_are_stored_without_control_characters(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    command = ReportIncident(
        "Acme Corp",
        "abuse",
        f"shouted{NOISE}",
        evidence_text=f"you are{NOISE} useless",
        evidence_author=f"Bob{NOISE}",
    )
    assert (await workspace.run(command)).kind is ReplyKind.RESULT
    report = await _last_report(workspace)
    assert (report["evidence_text"], report["evidence_author"]) == ("you are useless", "Bob")


async def test_collected_answers_are_cleaned_too(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say("/client settings hourly-cost 50 USD", as_user="maria")
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    reply = first
    # The revenue question is a field the step collects into a tuple of pairs. Uncleaned, it
    # would come back as an error on the same step, so the steps are counted.
    for _step in range(STEPS):
        reply = await answer_step(workspace, reply, monthly_revenue=f"30{NOISE}00")
        if reply.kind is not ReplyKind.FORM:
            break
    assert reply.data["value_ratio"] == 6.0


async def test_a_lone_surrogate_is_removed_rather_than_failing(workspace: Workspace) -> None:
    # JSON can carry "\ud800" on its own; neither database can store it (not UTF-8).
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" scope_creep half\ud800 a character')
    assert reply.kind is ReplyKind.RESULT
    assert (await _last_report(workspace))["details"] == "half a character"
