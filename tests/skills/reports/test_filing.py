"""Filing reports: strikes, the threshold, one escalation, and clear answers to bad input."""

import dataclasses

from skills.commands import ReportIncident
from skills.replies import Actions, ReplyKind
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace


async def test_two_yellows_cross_the_threshold_once(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/report-client "Acme Corp" scope_creep wants two extra reports')
    assert first.data["client"]["state"] == "watch"
    assert first.data["client"]["active_strikes"] == 1
    assert first.data["escalation_opened"] is False

    second = await workspace.say('/report-client "acme corp" underpaying disputes the invoice')
    assert second.data["client"]["state"] == "threshold"
    assert second.data["escalation_opened"] is True
    assert [m["recipient"] for m in second.data["outbox"]] == ["maria"]

    third = await workspace.say("/report-client ＡＣＭＥ-CORP scope_creep more again")
    assert third.data["client"]["state"] == "threshold"
    assert third.data["escalation_opened"] is False
    assert third.data["escalation_id"] == second.data["escalation_id"]
    assert third.data["outbox"] == []


async def test_abuse_alone_crosses(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" abuse shouted at Ana on the call')
    assert reply.data["severity"] == "red"
    assert reply.data["client"]["state"] == "threshold"
    assert reply.data["escalation_opened"] is True


async def test_a_note_records_without_a_strike(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" expectation_mismatch wants SAP')
    assert reply.data["severity"] == "note"
    assert reply.data["client"]["active_strikes"] == 0


async def test_category_by_translated_label(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" "Scope creep" more work')
    assert reply.data["category"] == "scope_creep"


async def test_unknown_category_lists_valid_ones_in_the_users_language(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Corp" rudeness he was rude', locale="es-MX")
    assert reply.kind is ReplyKind.FORM
    error = reply.data["errors"]["category"]
    assert "rudeness" in error
    assert "scope_creep" in error
    assert "Cliente" in [field.label for field in reply.form.fields]  # type: ignore[union-attr]


async def test_unknown_client_suggests_and_offers_to_create(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/report-client "Acme Crop" scope_creep more work')
    assert reply.kind is ReplyKind.ERROR
    assert reply.data["suggestions"] == ["Acme Corp"]
    actions = reply.blocks[-1]
    assert isinstance(actions, Actions)
    use_suggestion, create = actions.buttons
    filed = await workspace.run(use_suggestion.command)
    assert filed.data["client"]["name"] == "Acme Corp"
    assert create.command == dataclasses.replace(
        ReportIncident("Acme Crop", "scope_creep", "more work"), create_client=True
    )


async def test_details_empty_or_too_long(workspace: Workspace) -> None:
    await new_client(workspace)
    empty = await workspace.run(ReportIncident("Acme Corp", "scope_creep", "   "))
    assert empty.kind is ReplyKind.FORM
    assert empty.data["errors"] == {}
    too_long = await workspace.run(ReportIncident("Acme Corp", "scope_creep", "x" * 3001))
    assert too_long.kind is ReplyKind.FORM
    assert "3,000" in too_long.data["errors"]["details"]
    exactly = await workspace.run(ReportIncident("Acme Corp", "scope_creep", "x" * 3000))
    assert exactly.kind is ReplyKind.RESULT


async def test_missing_fields_come_back_as_a_prefilled_form(workspace: Workspace) -> None:
    reply = await workspace.say("/report-client Acme")
    assert reply.kind is ReplyKind.FORM
    form = reply.form
    assert form is not None
    assert {field.name: field.value for field in form.fields}["client"] == "Acme"
    assert [field.name for field in form.fields if field.required] == [
        "client",
        "category",
        "details",
    ]


async def test_bad_date_link_and_severity_are_field_errors(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.run(
        ReportIncident(
            "Acme Corp",
            "scope_creep",
            "more",
            severity="purple",
            occurred_at="yesterday",
            evidence_link="ftp://x",
        )
    )
    assert set(reply.data["errors"]) == {"severity", "occurred_at", "evidence_link"}
    future = await workspace.run(
        ReportIncident("Acme Corp", "scope_creep", "more", occurred_at="2099-01-01")
    )
    assert set(future.data["errors"]) == {"occurred_at"}


async def test_same_idempotency_key_files_once(workspace: Workspace) -> None:
    await new_client(workspace)
    command = ReportIncident("Acme Corp", "scope_creep", "more", idempotency_key="slack:V1:abc")
    first = await workspace.run(command)
    again = await workspace.run(command)
    assert again.data["duplicate"] is True
    assert again.data["incident_id"] == first.data["incident_id"]
    assert again.data["client"]["active_strikes"] == 1


async def test_unpaid_turns_red_after_the_overdue_limit(workspace: Workspace) -> None:
    await new_client(workspace)
    late = await workspace.run(
        ReportIncident("Acme Corp", "non_payment", "invoice 1042", days_overdue="75")
    )
    assert late.data["severity"] == "red"
    recent = await workspace.run(
        ReportIncident("Acme Corp", "non_payment", "invoice 1043", days_overdue="10")
    )
    assert recent.data["severity"] == "yellow"


async def test_reporter_may_choose_the_severity(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.run(
        ReportIncident("Acme Corp", "scope_creep", "a one-off", severity="note")
    )
    assert reply.data["severity"] == "note"


async def test_evidence_is_kept_as_a_snapshot(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.run(
        ReportIncident(
            "Acme Corp",
            "abuse",
            "insulted Ana",
            evidence_link="https://example.slack.com/archives/C1/p1",
            evidence_text="you are all idiots",
            evidence_author="Bob (Acme)",
            evidence_written_at="2026-03-01T10:00:00+00:00",
        )
    )
    export = await workspace.say('/client export "Acme Corp"', as_user="maria")
    incident = next(
        row for row in export.data["export"]["incidents"] if row["id"] == reply.data["incident_id"]
    )
    assert incident["evidence_text"] == "you are all idiots"
    assert incident["evidence_author"] == "Bob (Acme)"
    assert incident["evidence_written_at"].startswith("2026-03-01T10:00:00")
    assert len(incident["evidence_hash"]) == 64


async def test_guest_cannot_report_and_is_audited(workspace: Workspace) -> None:
    reply = await workspace.say("/report-client Acme abuse x", as_user="gus", is_guest=True)
    assert reply.kind is ReplyKind.REFUSED
    assert reply.data["reason"] == "guest"


async def test_someone_elses_idempotency_key_is_a_conflict(workspace: Workspace) -> None:
    await new_client(workspace)
    command = ReportIncident("Acme Corp", "scope_creep", "x", idempotency_key="k-9")
    await workspace.run(command, as_user="ana")
    other = await workspace.run(command, as_user="tom")
    assert other.data["error"] == "idempotency_conflict"
