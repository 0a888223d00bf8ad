"""A client's record in Teams: ``client edit`` without fields answers with the record's card
form, prefilled; a wrong value comes back under its field; a right one is saved."""

from typing import Any

from tests.support.teams_driver import TeamsDriver, answer_with, card_buttons, card_texts


def _inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        element["id"]: element
        for element in card["body"]
        if str(element.get("type", "")).startswith("Input.")
    }


async def test_a_manager_edits_a_record_through_its_card(teams: TeamsDriver) -> None:
    await answer_with(teams, 'client add Acme tier=gold notes="pays late"', "Acme", user="29:maria")
    form = await answer_with(teams, "client edit Acme", "Change a client's record", user="29:maria")
    [card] = form.cards
    inputs = _inputs(card)
    assert inputs["tier"]["value"] == "gold"
    assert inputs["notes"]["value"] == "pays late"
    assert inputs["billing-id"]["label"] == "Billing system id"
    [(_label, data)] = card_buttons(card).items()
    values = {"client": "Acme", "tier": "gold", "notes": "pays late"}
    wrong = await teams.submit(form, {**data, **values, "revenue": "-5"}, user="29:maria")
    assert "Write the monthly revenue as an amount from 0" in card_texts(wrong.cards[0])
    [(_label, again)] = card_buttons(wrong.cards[0]).items()
    saved = await teams.submit(
        wrong,
        {**again, **values, "name": "Acme Holdings", "revenue": "120", "currency": "USD"},
        user="29:maria",
    )
    assert "Acme Holdings's record is updated" in card_texts(saved.cards[0])
    shown = await answer_with(teams, "client acme holdings", "Acme Holdings", user="29:ana")
    assert "$120.00" in card_texts(shown.cards[0])


async def test_an_owner_typed_as_a_name_is_refused_with_where_to_find_their_id(
    teams: TeamsDriver,
) -> None:
    await answer_with(teams, "client add Acme", "Acme", user="29:maria")
    wrong = await answer_with(
        teams, "client edit Acme owner=Ana", "Change a client's record", user="29:maria"
    )
    # The rule /client owner follows: a name is nobody Yellowcard can find; an Entra object id
    # (which an @mention brings) is someone.
    assert "“Ana” is not someone Yellowcard can find" in card_texts(wrong.cards[0])
    assert "Object ID" in card_texts(wrong.cards[0])
