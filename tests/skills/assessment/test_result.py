"""The assessment's result against the strike record (a red card, a crossed threshold, an open
escalation), and its value ratio, computed only from a cost of a support hour a manager set."""

from skills.core.forms import complete_form
from skills.replies import ChoiceField, Facts, Reply, ReplyKind, TextField
from tests.support.scenarios import cross, new_client, paragraph_text, run_through
from tests.support.workspace import Workspace


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }


async def _to_value_step(ws: Workspace, as_user: str = "maria") -> Reply:
    """Start the assessment of Acme Corp and answer "no" up to its last step."""
    reply = await ws.say('/client assess "Acme Corp"', as_user=as_user)
    while reply.data["step"] != reply.data["steps"]:
        assert reply.form is not None
        values = {field.name: "no" for field in reply.form.fields} | {"move": "next"}
        reply = await ws.run(complete_form(reply.form, values), as_user=as_user)
    return reply


async def test_a_straight_red_is_never_keep_up_the_good_work(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" abuse called Ana an idiot on the phone')
    first = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    # The assessor answers "no" everywhere, the suggestion from the record included.
    result = await run_through(workspace, first)
    assert result.data["from_answers"] == "nurture"
    assert result.data["recommendation"] == "conversation"
    assert result.data["record"]["crossed"] is True
    assert result.data["escalation_opened"] is False  # the report's escalation is the one
    said = paragraph_text(result)
    assert (
        "This client is over the strike threshold with a red card for “Abuse of staff” on "
        "Mar 2, 2026." in said
    )
    assert "The managers were asked to decide on Mar 2, 2026, and have not decided yet." in said
    assert (
        "The answers alone would recommend “Keep up the good work”; while the strike record "
        "stands, the assessment recommends “Have a real conversation”." in said
    )
    # Anyone on the staff sees it again, in their language, with the record as it is now.
    spanish = await workspace.say('/client assessment "Acme Corp"', as_user="ana", locale="es")
    assert spanish.data["recommendation"] == "conversation"
    assert (
        "Este cliente superó el umbral de faltas con una tarjeta roja por “Maltrato al "
        "personal” el 2 mar 2026." in paragraph_text(spanish)
    )


async def test_an_open_escalation_weighs_in_too(workspace: Workspace) -> None:
    await cross(workspace)  # two yellow cards: over the threshold, the managers asked
    result = await run_through(
        workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria")
    )
    assert result.data["recommendation"] == "conversation"
    assert result.data["record"]["escalation_id"] is not None
    said = paragraph_text(result)
    assert (
        "This client is over the strike threshold with 2 active strikes (the threshold is 2)."
        in said
    )
    assert "and have not decided yet." in said


async def test_without_a_record_the_answers_decide(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep one extra report')  # a yellow
    result = await run_through(
        workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria")
    )
    assert result.data["recommendation"] == result.data["from_answers"] == "nurture"
    assert "strike threshold" not in paragraph_text(result)


async def test_a_result_shown_after_the_record_changed_says_so(workspace: Workspace) -> None:
    await new_client(workspace)
    await run_through(workspace, await workspace.say('/client assess "Acme Corp"', as_user="maria"))
    await workspace.say('/report-client "Acme Corp" threat said he would sue Ana personally')
    shown = await workspace.say('/client assessment "Acme Corp"', as_user="ana")
    assert shown.data["recommendation"] == "nurture"  # what it said then, kept
    said = paragraph_text(shown)
    assert "with a red card for “Threat” on Mar 2, 2026." in said
    assert (
        "The strike record has changed since this assessment; run /client assess Acme Corp "
        "for a current recommendation." in said
    )


async def test_no_value_ratio_from_a_cost_nobody_set(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    # Ana owns the account and assesses it, but is no manager: she is not asked for the cost.
    value_step = await _to_value_step(workspace, as_user="ana")
    assert value_step.form is not None
    assert "hourly_cost" not in {field.name for field in value_step.form.fields}
    result = await _submit(workspace, value_step, as_user="ana")
    assert (result.data["value_ratio"], result.data["hourly_cost"]) == (None, None)
    assert _facts(result)["Value"] == "not computed: the cost of a support hour was not set"
    assert (
        "A manager can set it: /client settings hourly-cost <amount> <currency>, like "
        "/client settings hourly-cost 60 EUR." in paragraph_text(result)
    )
    for_manager = await workspace.say('/client assessment "Acme Corp"', as_user="maria")
    assert "Set it once, for every client: /client settings hourly-cost" in paragraph_text(
        for_manager
    )


async def _submit(
    ws: Workspace, reply: Reply, *, as_user: str = "maria", locale: str = "en", **given: str
) -> Reply:
    """Submit the value step on screen: "no" to every choice, 3,000 a month for 10 hours,
    and what ``given`` says (the cost questions among them), as ``as_user``."""
    assert reply.form is not None
    values: dict[str, str | None] = {
        field.name: "no" for field in reply.form.fields if isinstance(field, ChoiceField)
    }
    values |= {"monthly_revenue": "3000", "support_hours": "10", "move": "next", **given}
    return await ws.run(complete_form(reply.form, values), as_user=as_user, locale=locale)


async def test_the_assessment_asks_a_manager_once_and_keeps_the_cost(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    value_step = await _to_value_step(workspace)
    assert value_step.form is not None
    fields = {field.name: field for field in value_step.form.fields}
    assert isinstance(fields["hourly_cost"], TextField)
    assert fields["hourly_cost"].label == "Cost of a support hour"
    result = await _submit(
        workspace,
        value_step,
        locale="es",
        hourly_cost="62,50",
        currency="eur",
        monthly_revenue="3.000",
    )
    assert (result.data["hourly_cost"], result.data["currency"]) == ("62.50", "EUR")
    assert result.data["value_ratio"] == 4.8  # 3,000 ÷ (10 × 62.50)
    assert _facts(result)["Valor"] == (
        "4,8× lo que cuesta atenderlo: 3.000,00\xa0€ al mes frente a 625,00\xa0€, "
        "a 62,50\xa0€ la hora"
    )
    settings = await workspace.say("/client settings")
    stored = settings.data["settings"]
    assert (stored["hourly_cost"], stored["currency"]) == ("62.50", "EUR")
    assert _facts(settings)["Cost of a support hour"] == "€62.50 (Euro)"
    # Asked once: the next assessment uses the setting and asks no more.
    again = await _to_value_step(workspace)
    assert again.form is not None
    assert "hourly_cost" not in {field.name for field in again.form.fields}
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    assert export["assessments"][0]["answers"]["currency"] == "EUR"


async def test_the_cost_questions_are_checked(workspace: Workspace) -> None:
    await new_client(workspace)
    value_step = await _to_value_step(workspace)
    wrong = await _submit(workspace, value_step, hourly_cost="lots", currency="euros")
    assert wrong.data["errors"] == {
        "hourly_cost": "The answer to “Cost of a support hour” is an amount more than 0 and "
        "up to 100,000, like 60.",
        "currency": "“euros” is not a currency code. Write its three-letter ISO 4217 code, "
        "like EUR, USD or JPY.",
    }
    half = await _submit(workspace, wrong, hourly_cost="60")
    assert half.data["errors"] == {"currency": "Give “Currency” too, or leave both empty."}
    withdrawn = await _submit(workspace, half, hourly_cost="0", currency="DEM")
    assert set(withdrawn.data["errors"]) == {"hourly_cost", "currency"}
    done = await _submit(workspace, withdrawn, hourly_cost="60", currency="usd")
    assert done.kind is ReplyKind.RESULT
    assert done.data["value_ratio"] == 5.0


async def test_a_cost_set_in_the_settings_is_used_in_its_currency(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say("/client settings hourly-cost 8000 JPY", as_user="maria")
    result = await run_through(
        workspace,
        await workspace.say('/client assess "Acme Corp"', as_user="maria"),
        monthly_revenue="400000",
    )
    assert result.data["value_ratio"] == 5.0
    japanese = await workspace.say('/client assessment "Acme Corp"', as_user="ana", locale="ja")
    value = _facts(japanese)["価値"]
    assert "￥400,000" in value
    assert "￥80,000" in value
    assert "￥8,000" in value
