"""Bugs found in review, each with the scenario that showed it."""

import asyncio

from skills.commands import ReportIncident
from skills.replies import Actions, ReplyKind
from tests.support.scenarios import cross, new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_a_red_after_the_old_strikes_expired_opens_a_new_escalation(
    workspace: Workspace,
) -> None:
    await cross(workspace)
    workspace.clock.advance(days=200)
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "ok"
    assert card.data["escalation_id"] is None
    red = await workspace.say('/report-client "Acme Corp" abuse threatened Ana on the phone')
    assert red.data["escalation_opened"] is True
    assert [message["recipient"] for message in red.data["outbox"]] == ["maria"]
    history = await workspace.say('/client history "Acme Corp"', as_user="maria")
    assert "as strikes expired" in paragraph_text(history)
    assert "after a report was voided" not in paragraph_text(history)


async def test_lowering_the_threshold_escalates_clients_now_over_it(workspace: Workspace) -> None:
    await workspace.say("/client settings threshold 3 confirm", as_user="maria")
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep one')
    two = await workspace.say('/report-client "Acme Corp" scope_creep two')
    assert two.data["client"]["state"] == "watch"
    preview = await workspace.say("/client settings threshold 2", as_user="maria")
    assert preview.data["preview"] is True
    assert (preview.data["at_threshold_now"], preview.data["at_threshold_after"]) == (0, 1)
    unchanged = await workspace.say('/client "Acme Corp"')
    assert unchanged.data["client"]["state"] == "watch"
    assert (await workspace.say("/client settings")).data["settings"]["threshold"] == 3
    save = next(block for block in preview.blocks if isinstance(block, Actions)).buttons[0]
    lowered = await workspace.run(save.command, as_user="maria")
    assert lowered.data["changed_clients"] == [two.data["client"]["id"]]
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "threshold"
    assert card.data["escalation_id"] is not None
    raised = await workspace.say("/client settings threshold 4 confirm", as_user="maria")
    assert raised.data["changed_clients"] == [two.data["client"]["id"]]
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert [row["status"] for row in export["escalations"]] == ["policy_changed"]


async def test_concurrent_manager_additions_are_all_kept(workspace: Workspace) -> None:
    await asyncio.gather(
        *(
            workspace.say(f"/client settings managers add {name}", as_user="maria")
            for name in ("bob", "carol", "dave")
        )
    )
    settings = await workspace.say("/client settings")
    assert sorted(settings.data["settings"]["managers"]) == ["bob", "carol", "dave", "maria"]


async def test_unicode_digits_are_not_numbers(workspace: Workspace) -> None:
    board = await workspace.say("/client list ²")
    assert board.data["page"] == 1
    void = await workspace.say("/client void ² typo", as_user="maria")
    assert "incident_id" in void.data["errors"]
    setting = await workspace.say("/client settings threshold ²", as_user="maria")
    assert setting.kind is ReplyKind.ERROR


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


async def test_someone_elses_idempotency_key_is_a_conflict(workspace: Workspace) -> None:
    await new_client(workspace)
    command = ReportIncident("Acme Corp", "scope_creep", "x", idempotency_key="k-9")
    await workspace.run(command, as_user="ana")
    other = await workspace.run(command, as_user="tom")
    assert other.data["error"] == "idempotency_conflict"


async def test_language_and_timezone_settings_change_what_people_see(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    workspace.clock.advance(hours=14)  # 23:0x UTC on 2 March is 3 March in Tokyo
    await workspace.say('/report-client "Acme Corp" scope_creep late request')
    before = await workspace.say('/client "Acme Corp"')
    assert "Mar 2, 2026" in paragraph_text(before)
    await workspace.say("/client settings timezone Asia/Tokyo", as_user="maria")
    await workspace.say("/client settings language ja", as_user="maria")
    after = await workspace.say('/client "Acme Corp"')
    assert "2026/03/03" in paragraph_text(after)
    assert after.blocks[1] != before.blocks[1]  # the facts are in Japanese now
