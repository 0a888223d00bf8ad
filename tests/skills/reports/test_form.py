"""The report form: every field that can be wrong is on it, and oversized input is refused
cleanly."""

from skills.commands import ReportIncident
from skills.replies import ReplyKind
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def test_oversized_input_is_refused_cleanly(workspace: Workspace) -> None:
    await new_client(workspace)
    long_name = "A" * 250
    refused = await workspace.say(f'/client decide "{long_name}" fired', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    huge_id = await workspace.say("/client void 99999999999 typo", as_user="maria")
    assert "incident_id" in huge_id.data["errors"]
    overdue = await workspace.run(
        ReportIncident("Acme Corp", "non_payment", "x", days_overdue="99999999999")
    )
    assert "days_overdue" in overdue.data["errors"]
    quote = await workspace.run(
        ReportIncident("Acme Corp", "abuse", "x", evidence_text="y" * 40_001)
    )
    assert "evidence_text" in quote.data["errors"]
    wide = await workspace.run(ReportIncident("㍿" * 150, "abuse", "x", create_client=True))
    assert "client" in wide.data["errors"]
    author = await workspace.run(
        ReportIncident("Acme Corp", "abuse", "x", evidence_text="y", evidence_author="B" * 300)
    )
    assert author.kind is ReplyKind.RESULT


async def test_every_field_that_can_be_wrong_is_on_the_form(workspace: Workspace) -> None:
    reply = await workspace.run(
        ReportIncident(
            "Acme",
            "scope_creep",
            "x",
            severity="purple",
            occurred_at="soon",
            days_overdue="-1",
            evidence_link="mailto:x",
            evidence_text="y" * 40_001,
            evidence_written_at="then",
        )
    )
    form = reply.form
    assert form is not None
    assert set(form.errors) <= {field.name for field in form.fields}
    assert len(form.errors) == 6
