"""The assessment dialog through the skills: steps, Back, Save, Cancel, resume, expiry,
suggestions from the record, the result and its escalation."""

import asyncio
from unicodedata import east_asian_width

from skills.assessment.bank import bank
from skills.commands import AssessmentStep, ReportIncident, TickPlaybookStep
from skills.core.forms import complete_form
from skills.replies import Actions, ChoiceField, Facts, Paragraph, ReplyKind
from tests.support.scenarios import answer_step, new_client, paragraph_text, run_through
from tests.support.workspace import Workspace

STEPS = len(bank().steps)


async def test_a_quiet_client_is_nurtured(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    assert (first.data["step"], first.data["steps"]) == (1, STEPS)
    result = await run_through(workspace, first)
    assert result.data["recommendation"] == "nurture"
    assert result.data["risk"] == 0
    assert result.data["bank_version"] == bank().version
    assert result.data["value_ratio"] is None  # no cost of a support hour was set
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["last_assessment"] == {"risk": 0, "recommendation": "nurture"}
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    [stored] = export["assessments"]
    assert (stored["bank_version"], stored["recommendation"]) == (bank().version, "nurture")


async def test_back_keeps_answers_and_save_resumes_where_left(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    second = await answer_step(workspace, first, "often")
    assert second.data["step"] == 2
    back = await answer_step(workspace, second, move="back")
    assert back.data["step"] == 1
    assert {field.value for field in back.form.fields if field.name != "move"} == {"often"}  # type: ignore[union-attr]
    saved = await answer_step(workspace, back, "often", move="save")
    assert saved.data["assessment"] == "saved"
    resumed = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    assert resumed.data["dialog_id"] == first.data["dialog_id"]
    assert resumed.data["step"] == 1


async def test_cancel_and_expiry_start_afresh(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    cancelled = await answer_step(workspace, first, move="cancel")
    assert cancelled.data["assessment"] == "cancelled"
    again = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    assert again.data["dialog_id"] != first.data["dialog_id"]
    workspace.clock.advance(days=8)
    late = await answer_step(workspace, again)
    assert late.data["error"] == "expired"


async def test_numbers_are_checked(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    while reply.data.get("step") != STEPS:
        reply = await answer_step(workspace, reply)
    wrong = await answer_step(workspace, reply, monthly_revenue="lots", support_hours="-3")
    assert set(wrong.data["errors"]) == {"monthly_revenue", "support_hours"}
    # Named by its label, never by its key: the message may be shown away from the field.
    assert wrong.data["errors"]["monthly_revenue"] == (
        "The answer to “Monthly revenue from them” is a number, like 1,200 or 7.5."
    )
    done = await answer_step(workspace, wrong, monthly_revenue="1,200.50")
    assert done.data["recommendation"] == "nurture"


async def test_a_missing_answer_is_asked_for_by_its_question(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    form = first.form
    assert form is not None
    half = await workspace.run(
        complete_form(form, {"costs_more_than_pays": "no", "move": "next"}), as_user="maria"
    )
    assert half.data["errors"] == {
        "goes_around_process": "Please answer “Do they skip support and go straight to "
        "managers or executives?”."
    }
    spanish = await workspace.run(
        complete_form(form, {"costs_more_than_pays": "a veces", "move": "next"}),
        as_user="maria",
        locale="es",
    )
    assert spanish.data["errors"]["costs_more_than_pays"].startswith(
        "Responde “¿Atenderlo lleva más tiempo del que cubre su plan?” con nunca"
    )


async def test_the_record_suggests_answers(workspace: Workspace) -> None:
    await new_client(workspace)
    for invoice in ("1041", "1042"):
        await workspace.run(ReportIncident("Acme Corp", "non_payment", f"invoice {invoice}"))
    reply = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    while "pays_late" not in {field.name for field in reply.form.fields}:  # type: ignore[union-attr]
        reply = await answer_step(workspace, reply)
    suggested = next(field for field in reply.form.fields if field.name == "pays_late")  # type: ignore[union-attr]
    assert isinstance(suggested, ChoiceField)
    assert (suggested.value, bool(suggested.hint)) == ("often", True)


async def test_zero_tolerance_escalates_once(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    result = await run_through(workspace, first, insults_or_yells="sometimes")
    assert result.data["recommendation"] == "part_ways"
    assert result.data["zero_tolerance"] == ["insults_or_yells"]
    assert result.data["escalation_opened"] is True
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "threshold"
    again = await run_through(
        workspace,
        await workspace.say('/client assess "Acme Corp"', as_user="maria"),
        insults_or_yells="often",
    )
    assert again.data["escalation_opened"] is False
    assert again.data["change"] == 0  # zero tolerance decides, it does not add to the risk
    facts = {
        fact.label: fact.value
        for block in again.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }
    # A finding is named by its category, short enough to list; the change is in one sentence.
    assert facts["Zero-tolerance findings"] == "Abuse of staff"
    assert facts["Risk"].startswith(f"{again.data['risk']} of 100 (+0 since ")


async def test_the_score_bars_line_up_in_japanese(workspace: Workspace) -> None:
    await new_client(workspace)
    await run_through(workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria"))
    shown = await workspace.say('/client assessment "Acme Corp"', as_user="maria", locale="ja")
    [bars] = [
        block.text for block in shown.blocks if isinstance(block, Paragraph) and "░" in block.text
    ]
    # Wide characters take two columns: every bar starts in the same column.
    columns = {_bar_column(line) for line in bars.splitlines()}
    assert len(bars.splitlines()) == 3
    assert len(columns) == 1


def _bar_column(line: str) -> int:
    start = next(index for index, char in enumerate(line) if char in "█░")
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in line[:start])


async def test_playbook_progress_is_kept_per_client(workspace: Workspace) -> None:
    await new_client(workspace)
    result = await run_through(
        workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria"), "often"
    )
    step = result.data["playbook"][0]["step"]
    ticked = await workspace.run(TickPlaybookStep("Acme Corp", step), as_user="maria")
    assert ticked.data["playbook"][0] == {"step": step, "done": True}
    unticked = await workspace.run(TickPlaybookStep("Acme Corp", step), as_user="maria")
    assert unticked.data["playbook"][0]["done"] is False
    unknown = await workspace.run(TickPlaybookStep("Acme Corp", "nope"), as_user="maria")
    assert unknown.data["error"] == "unknown_step"


async def test_staff_cannot_assess_or_step_into_others_dialogs(workspace: Workspace) -> None:
    await new_client(workspace)
    refused = await workspace.say('/client assess "Acme Corp"', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    mine = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    stolen = await workspace.run(AssessmentStep(mine.data["dialog_id"]), as_user="ana")
    assert stolen.data["error"] == "expired"


async def test_the_board_shows_the_latest_recommendation(workspace: Workspace) -> None:
    await new_client(workspace)
    await run_through(workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria"))
    board = await workspace.say("/client list")
    assert board.data["clients"][0]["recommendation"] == "nurture"


async def test_decided_reports_suggest_nothing_and_do_not_escalate_again(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" abuse shouted at Ana')
    await workspace.say('/client decide "Acme Corp" keep_on_terms one more chance', as_user="maria")
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    second = await answer_step(workspace, first)  # effort
    suggested = {f.name: f.value for f in second.form.fields}  # type: ignore[union-attr]
    assert suggested["insults_or_yells"] is None
    result = await run_through(workspace, second)
    # The red card is still active, decided on or not: the answers alone say all is well, the
    # assessment does not.
    assert (result.data["from_answers"], result.data["recommendation"]) == (
        "nurture",
        "conversation",
    )
    assert result.data["record"]["decision"] == "keep_on_terms"
    assert "A manager decided on Mar 2, 2026: “Keep them, on our terms”." in paragraph_text(result)
    assert result.data["escalation_opened"] is False
    card = await workspace.say('/client "Acme Corp"')
    assert card.data["client"]["state"] == "keep_on_terms"


async def test_a_finding_while_an_escalation_is_open_joins_it(workspace: Workspace) -> None:
    await new_client(workspace)
    red = await workspace.say('/report-client "Acme Corp" threat said he would sue Ana')
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    result = await run_through(workspace, first, threatens="often")
    assert result.data["recommendation"] == "part_ways"
    assert result.data["escalation_opened"] is False
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert [row["id"] for row in export["escalations"]] == [red.data["escalation_id"]]


async def test_two_final_submissions_store_one_assessment(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    while reply.data.get("step") != STEPS:
        reply = await answer_step(workspace, reply)
    results = await asyncio.gather(answer_step(workspace, reply), answer_step(workspace, reply))
    assert sorted(str(result.data.get("recommendation")) for result in results) == [
        "None",
        "nurture",
    ]
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert len(export["assessments"]) == 1


async def test_simultaneous_starts_share_one_dialog(workspace: Workspace) -> None:
    await new_client(workspace)
    starts = await asyncio.gather(
        *(workspace.say('/client assess "Acme Corp"', as_user="maria") for _ in range(4))
    )
    assert len({reply.data["dialog_id"] for reply in starts}) == 1


async def test_an_old_copy_of_a_step_changes_nothing(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    second = await answer_step(workspace, first, "sometimes")
    stale = await answer_step(workspace, first, "often")  # step 1's form, submitted again
    assert stale.data["step"] == second.data["step"] == 2
    back = await answer_step(workspace, second, move="back")
    assert {f.value for f in back.form.fields if f.name != "move"} == {"sometimes"}  # type: ignore[union-attr]


async def test_the_right_to_assess_is_checked_on_every_step(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say("/client settings managers add bob", as_user="maria")
    first = await workspace.say('/client assess "Acme Corp"', as_user="bob")
    await workspace.say("/client settings managers remove bob", as_user="maria")
    form = first.form
    assert form is not None
    refused = await workspace.run(complete_form(form, {"move": "next"}), as_user="bob")
    assert refused.kind is ReplyKind.REFUSED


async def test_a_changed_bank_restarts_the_dialog(workspace: Workspace) -> None:
    await new_client(workspace)
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    async with workspace.services.unit_of_work() as uow:
        dialog = await uow.dialogs.get_open(
            workspace.tenant_id, first.data["dialog_id"], "maria", workspace.clock()
        )
        assert dialog is not None
        dialog.state = {**dialog.state, "bank_version": 0}  # begun under an older bank
        await uow.dialogs.save(dialog)
        await uow.commit()
    changed = await answer_step(workspace, first)
    assert changed.data["error"] == "bank_changed"
    again = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    assert again.data["dialog_id"] != first.data["dialog_id"]


async def test_the_result_can_be_seen_again(workspace: Workspace) -> None:
    await new_client(workspace)
    never = await workspace.say('/client assessment "Acme Corp"')
    assert never.data["error"] == "not_assessed"
    await run_through(workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria"))
    again = await workspace.say('/client assessment "Acme Corp"', as_user="ana")
    assert again.data["recommendation"] == "nurture"
    card = await workspace.say('/client "Acme Corp"')
    [button] = [b for block in card.blocks if isinstance(block, Actions) for b in block.buttons]
    assert (await workspace.run(button.command)).data["assessment_id"] == again.data[
        "assessment_id"
    ]
