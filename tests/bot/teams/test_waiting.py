"""``waiting`` in Teams: what waits on the managers, with the buttons that answer it."""

from tests.support.teams_driver import (
    TeamsDriver,
    answer_with,
    card_buttons,
    card_texts,
    entra_id,
    filed,
)


async def escalation_and_dispute(teams: TeamsDriver) -> int:
    """Ana's two reports take Acme over the threshold; made its account owner, she disputes the
    first strike. The first report's id."""
    first = await filed(teams, "Acme scope_creep a third free dashboard")
    await filed(teams, "Acme moving_goalposts changed the brief again")
    await answer_with(teams, f"client owner Acme {entra_id('29:ana')}", "Acme", user="29:maria")
    await answer_with(
        teams, f"client dispute {first} it was our bug", "Your dispute", user="29:ana"
    )
    return first


async def test_a_manager_sees_the_escalation_and_the_dispute(teams: TeamsDriver) -> None:
    report = await escalation_and_dispute(teams)
    waiting = await answer_with(teams, "client waiting", "Decisions waiting", user="29:maria")
    [card] = waiting.cards
    text = card_texts(card)
    assert "Acme: over the threshold since" in text
    assert "Crossed with report #" in text
    assert "Nobody has acknowledged it yet." in text
    assert "Acme: a strike disputed since" in text
    assert f"Ana disputes report #{report}: it was our bug" in text
    buttons = card_buttons(card)
    assert {"Decide", "Keep the strike", "Void the strike"} <= set(buttons)

    # Keeping the strike answers the dispute; only the escalation waits then.
    await teams.submit(waiting, buttons["Keep the strike"], user="29:maria")
    after = await answer_with(teams, "client waiting", "Decisions waiting", user="29:maria")
    assert "disputes report" not in card_texts(after.cards[0])
    assert "Acme: over the threshold since" in card_texts(after.cards[0])


async def test_staff_are_refused_and_a_manager_reads_it_in_spanish(teams: TeamsDriver) -> None:
    report = await escalation_and_dispute(teams)
    refused = await answer_with(teams, "client waiting", "Only managers", user="29:ana")
    assert "Decisions waiting" not in card_texts(refused.cards[0])
    spanish = await answer_with(
        teams, "client waiting", "Decisiones pendientes", user="29:maria", locale="es-ES"
    )
    text = card_texts(spanish.cards[0])
    assert "Acme: supera el umbral desde el" in text
    assert f"Ana impugna el reporte #{report}: it was our bug" in text
    assert {"Decidir", "Mantener la falta", "Anular la falta"} <= set(
        card_buttons(spanish.cards[0])
    )
