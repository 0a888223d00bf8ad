"""The report form: every field that can be wrong is on it, and oversized input is refused
cleanly."""

from skills.commands import ExportClient, ReportIncident
from skills.dispatch import check_form
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
            "non_payment",
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


async def test_days_overdue_belong_only_to_unpaid_invoices(workspace: Workspace) -> None:
    await new_client(workspace)
    unpaid = await workspace.run(ReportIncident("Acme Corp", "non_payment"))
    other = await workspace.run(ReportIncident("Acme Corp", "scope_creep"))
    unknown = await workspace.run(ReportIncident("Acme Corp"))
    assert unpaid.form is not None
    assert other.form is not None
    assert unknown.form is not None
    assert "days_overdue" in {field.name for field in unpaid.form.fields}
    assert "days_overdue" not in {field.name for field in other.form.fields}
    # Until the category is known, the field waits for it.
    [days] = [field for field in unknown.form.fields if field.name == "days_overdue"]
    assert days.depends_on == "category"
    assert unknown.form.waits(days)
    assert not unpaid.form.waits(days)
    # Sent anyway (by a form drawn for another category), they are neither checked nor kept.
    filed = await workspace.run(
        ReportIncident("Acme Corp", "scope_creep", "a fifth dashboard", days_overdue="lots")
    )
    assert filed.kind is ReplyKind.RESULT, filed.data
    export = await workspace.run(ExportClient("Acme Corp"), as_user="maria")
    [row] = [row for row in export.data["export"]["incidents"] if row["category"] == "scope_creep"]
    assert row["days_overdue"] is None


async def test_a_category_named_in_another_language_is_shown_as_its_choice(
    workspace: Workspace,
) -> None:
    reply = await workspace.run(ReportIncident("Acme Corp", "Facturas sin pagar"))
    assert reply.form is not None
    [category] = [field for field in reply.form.fields if field.name == "category"]
    assert category.value == "non_payment"
    assert "days_overdue" in {field.name for field in reply.form.fields}


async def test_a_form_is_checked_as_it_is_filled_without_filing(workspace: Workspace) -> None:
    await new_client(workspace)
    ana = workspace.person("ana")
    command = ReportIncident("Acme Corp", "abuse", "shouted", occurred_at="last tuesday")
    checked = await check_form(workspace.services, ana, command)
    assert checked is not None
    assert checked.form is not None
    assert set(checked.form.errors) == {"occurred_at"}
    complete = await check_form(workspace.services, ana, ReportIncident("Acme Corp", "abuse", "x"))
    assert complete is not None
    assert complete.form is not None
    assert not complete.form.errors
    export = await workspace.run(ExportClient("Acme Corp"), as_user="maria")
    assert [row["category"] for row in export.data["export"]["incidents"]] == [
        "expectation_mismatch"
    ]
