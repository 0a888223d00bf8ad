"""The cost figures in the export, and the assessment filled in from them."""

from skills.replies import ChoiceField, Reply, TextField
from tests.skills.costs.book import quarter
from tests.support.scenarios import answer_step
from tests.support.workspace import Workspace


async def test_the_export_carries_last_months_figures(workspace: Workspace) -> None:
    await quarter(workspace)
    export = (await workspace.say('/client export "Acme Corp"', as_user="maria")).data["export"]
    costs = export["costs"]
    assert costs["month"] == "2026-02"
    assert (costs["monthly_revenue"], costs["revenue_currency"]) == ("120.00", "EUR")
    assert (costs["monthly_cost_to_serve"], costs["cost_currency"]) == ("276.00", "EUR")
    assert costs["cost_to_revenue"] == 2.3
    assert costs["support_minutes"] == 276
    assert costs["overdue"] == {"amounts": {"EUR": "400.00"}, "days": 13}

    globex = (await workspace.say("/client export Globex", as_user="maria")).data["export"]
    assert globex["costs"]["cost_to_revenue"] is None
    assert globex["costs"]["no_ratio"] == "other_currency"


def _field(reply: Reply, name: str) -> TextField | ChoiceField:
    assert reply.form is not None
    found = next(field for field in reply.form.fields if field.name == name)
    assert isinstance(found, TextField | ChoiceField)
    return found


async def _step_with(ws: Workspace, reply: Reply, name: str) -> Reply:
    while name not in {field.name for field in reply.form.fields}:  # type: ignore[union-attr]
        reply = await answer_step(ws, reply)
    return reply


async def test_the_assessment_is_filled_in_from_last_month(workspace: Workspace) -> None:
    await quarter(workspace)
    reply = await workspace.say('/client assess "Acme Corp"', as_user="maria")
    # Costing more than it paid, and an invoice overdue for less than the non-payment days.
    assert _field(reply, "costs_more_than_pays").value == "often"
    reply = await _step_with(workspace, reply, "pays_late")
    assert _field(reply, "pays_late").value == "sometimes"
    reply = await _step_with(workspace, reply, "support_hours")
    hours, revenue = _field(reply, "support_hours"), _field(reply, "monthly_revenue")
    assert (hours.value, revenue.value) == ("4.6", "120.00")
    assert hours.hint == (
        "Filled in from last month's tickets and touch points; change it if it is wrong."
    )
    assert revenue.hint.startswith("Last month's, in EUR, from the invoices")


async def test_revenue_in_another_currency_is_not_filled_in(workspace: Workspace) -> None:
    await quarter(workspace)
    reply = await workspace.say("/client assess Globex", as_user="maria")
    reply = await _step_with(workspace, reply, "support_hours")
    assert _field(reply, "support_hours").value == "1"
    assert _field(reply, "monthly_revenue").value is None
