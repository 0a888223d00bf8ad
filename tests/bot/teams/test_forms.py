"""Forms as Adaptive Cards: days overdue come as a second step for unpaid invoices only, and
errors are shown under their fields."""

from typing import Any

from tests.support.teams_driver import TeamsDriver, card_buttons, card_texts

DAYS = "days_overdue"


def _inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["id"]: element
        for element in card["body"]
        if str(element.get("type", "")).startswith("Input.")
    }


async def test_days_overdue_are_a_second_step_for_unpaid_invoices_only(
    teams: TeamsDriver,
) -> None:
    form = await teams.say("report-client")
    [card] = form.cards
    assert DAYS not in _inputs(card)
    [(submit, data)] = card_buttons(card).items()
    assert data["yc_later"] == DAYS

    unpaid = await teams.submit(
        form, {**data, "client": "new:Acme Corp", "category": "non_payment", "details": "inv 17"}
    )
    # Nothing filed yet: the same card, in place, now asking the days overdue.
    assert unpaid.kind == "update"
    assert unpaid.activity_id == form.activity_id
    inputs = _inputs(unpaid.cards[0])
    assert inputs[DAYS]["label"] == "Days the invoice is overdue"
    assert (inputs["category"]["value"], inputs["details"]["value"]) == ("non_payment", "inv 17")
    again = card_buttons(unpaid.cards[0])[submit]
    assert "yc_later" not in again
    filed = await teams.submit(
        unpaid,
        {
            **again,
            "client": "new:Acme Corp",
            "category": "non_payment",
            "details": "inv 17",
            DAYS: "75",
        },
    )
    texts = card_texts(filed.cards[0])
    assert "Report filed about Acme Corp" in texts
    assert "Red card" in texts

    other = await teams.say("report-client")
    [(_label, data)] = card_buttons(other.cards[0]).items()
    await teams.submit(
        other, {**data, "client": "Acme Corp", "category": "scope_creep", "details": "dashboards"}
    )
    # The red card's ping to the managers (Ana is one) may be sent in between: the answer is
    # the form's card, updated in place.
    filed_at_once = await teams.connector.wait_until(
        lambda: next(
            (
                item
                for item in teams.connector.sent
                if item.kind == "update" and item.activity_id == other.activity_id
            ),
            None,
        )
    )
    assert "Report filed about Acme Corp" in card_texts(filed_at_once.cards[0])


async def test_errors_are_shown_under_their_fields(teams: TeamsDriver) -> None:
    await teams.say("client settings my-language es")
    form = await teams.say("report-client")
    [(_label, data)] = card_buttons(form.cards[0]).items()
    wrong = await teams.submit(
        form,
        {
            **data,
            "client": "new:Acme Corp",
            "category": "abuse",
            "details": "gritó a Ana",
            "occurred_at": "el martes",
        },
    )
    body = wrong.cards[0]["body"]
    [at] = [index for index, element in enumerate(body) if element.get("id") == "occurred_at"]
    assert body[at]["label"] == "Cuándo pasó"
    assert body[at]["value"] == "el martes"
    assert body[at + 1]["text"] == "Escribe la fecha como 2026-01-31 o 2026-01-31 14:30."
    assert body[at + 1]["color"] == "Attention"
    assert "occurred_at" not in card_texts(wrong.cards[0])
