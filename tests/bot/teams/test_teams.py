"""The Teams surface over real HTTP: activities in, what the bot sent to the fake connector out."""

from tests.support.teams_driver import TeamsDriver, card_buttons, card_texts


async def test_help_in_a_personal_chat(teams: TeamsDriver) -> None:
    answer = await teams.say("client help")
    [card] = answer.cards
    assert "Yellowcard commands" in card_texts(card)
    assert answer.kind == "reply"


async def test_a_command_in_a_channel_is_answered_privately(teams: TeamsDriver) -> None:
    answer = await teams.say("client help", channel="19:support@thread.tacv2")
    assert "Yellowcard commands" in card_texts(answer.cards[0])
    [notice] = teams.connector.in_conversation("19:support@thread.tacv2")
    assert notice.activity["text"] == "I answered you in a private chat."
    assert notice.cards == []


async def test_the_report_form_shows_errors_then_files(teams: TeamsDriver) -> None:
    form = await teams.say("report-client")
    [card] = form.cards
    submit = card_buttons(card)
    [(label, data)] = submit.items()
    wrong = await teams.submit(
        form, {**data, "client": "new:Acme Corp", "category": "nonsense", "details": "rude"}
    )
    assert wrong.kind == "update"
    assert wrong.activity_id == form.activity_id
    assert "is not a category" in card_texts(wrong.cards[0])
    data = card_buttons(wrong.cards[0])[label]
    filed = await teams.submit(
        wrong,
        {
            **data,
            "client": "new:Acme Corp",
            "category": "scope_creep",
            "details": "a third dashboard",
        },
    )
    assert "Report filed about Acme Corp" in card_texts(filed.cards[0])


async def test_guests_and_other_organisations_are_refused(teams: TeamsDriver) -> None:
    for person in ("29:gus", "29:olga"):
        answer = await teams.say("report-client Acme scope_creep more", user=person)
        assert "cannot use Yellowcard" in card_texts(answer.cards[0])


async def test_a_tenant_that_did_not_install_the_app_is_refused(teams: TeamsDriver) -> None:
    teams.tenant = "not-installed"
    answer = await teams.post(teams.activity(text="client help"))
    assert answer.status in {200, 201, 202}
    [said] = await teams.connector.wait_for(1, kind="reply")
    assert said.activity["text"] == "Yellowcard is not installed in your organisation."
