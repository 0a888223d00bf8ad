"""The Teams surface over real HTTP: activities in, what the bot sent to the fake connector out."""

import asyncio
from typing import Any

from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.support.fake_connector import Sent, card_problems, running_fake_connector
from tests.support.teams_driver import BOT, TeamsDriver, card_buttons, card_texts, teams_settings


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
    assert said.activity["text"].startswith("Yellowcard has no installation for your organisation")
    assert "“set up”" in said.activity["text"]


async def test_with_credentials_an_unsigned_request_is_refused(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        microsoft_app_id="00000000-0000-0000-0000-00000000b0t1",
        microsoft_app_password="not-a-real-secret",
        microsoft_app_tenant_id="00000000-0000-0000-0000-0000000000t1",
    )
    async with running_fake_connector() as connector, TestServer(create_app(settings)) as server:
        driver = TeamsDriver(str(server.make_url("/")), connector)
        unsigned = await driver.post(driver.activity(text="client help"))
        assert unsigned.status == 401
        malformed = await driver.post(
            driver.activity(text="client help"), headers={"Authorization": "Bearer"}
        )
        assert malformed.status == 401
        assert connector.sent == []


def _inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element for element in card["body"] if str(element.get("type", "")).startswith("Input.")
    ]


async def _acme(teams: TeamsDriver) -> None:
    """Ana files a report about a new client, Acme Corp."""
    unknown = await teams.say("report-client Acme scope_creep a third free dashboard")
    create = next(
        data for label, data in card_buttons(unknown.cards[0]).items() if "Create" in label
    )
    filed = await teams.submit(unknown, create)
    assert "Report filed about Acme" in card_texts(filed.cards[0])


async def test_every_command_answers_with_a_card(teams: TeamsDriver) -> None:
    await _acme(teams)
    for user, text in (
        ("29:ana", "client list"),
        ("29:ana", "client Acme"),
        ("29:ana", "client history Acme"),
        ("29:ana", "client settings"),
        ("29:ana", "client dispute 1 it was our bug"),
        ("29:ana", "client nonsense words here"),
        ("29:maria", "client owner Acme <at>Ana</at>"),
        ("29:maria", "client decide Acme conversation talk it through"),
        ("29:maria", "client void 1 filed on the wrong client"),
        ("29:maria", "client waiting"),
        ("29:maria", "client assess Acme"),
        # Last: its chart follows as a second message, which the next command's answer could
        # otherwise be taken for.
        ("29:maria", "client summary preview"),
    ):
        answer = await teams.say(text, user=user)
        assert card_texts(answer.cards[0]).strip(), text


async def test_the_assessment_runs_to_its_result(teams: TeamsDriver) -> None:
    await _acme(teams)
    step = await teams.say("client assess Acme", user="29:maria")
    for _ in range(12):
        card = step.cards[0]
        inputs = _inputs(card)
        if not inputs:
            break
        answers = {
            item["id"]: ("next" if item["id"] == "move" else "no")
            if item["type"] == "Input.ChoiceSet"
            else ("EUR" if item["id"] == "currency" else "10")
            for item in inputs
        }
        [(_label, data)] = card_buttons(card).items()
        step = await teams.submit(step, {**data, **answers}, user="29:maria")
    texts = card_texts(step.cards[0])
    assert "Acme" in texts
    assert "of 100" in texts


async def test_the_message_action_opens_the_form_with_the_message_then_files(
    teams: TeamsDriver,
) -> None:
    await _acme(teams)
    payload = {
        "id": "1111111111",
        "createdDateTime": "2026-11-20T21:29:36.065Z",
        "body": {"contentType": "html", "content": "<p>You are <strong>useless</strong>.</p>"},
        "from": {"user": {"id": "u-client", "displayName": "Carl Client"}},
        "linkToMessage": "https://teams.microsoft.com/l/message/19:x/1111111111",
    }
    fetched = await teams.invoke(
        "composeExtension/fetchTask",
        {"commandId": "reportClient", "commandContext": "message", "messagePayload": payload},
    )
    assert fetched.status == 200
    task = fetched.json()["task"]
    assert task["type"] == "continue"
    card = task["value"]["card"]["content"]
    assert card_problems(card) == []
    assert "You are useless." in card_texts(card)
    [(_label, data)] = card_buttons(card).items()
    submitted = await teams.invoke(
        "composeExtension/submitAction",
        {
            "commandId": "reportClient",
            "commandContext": "message",
            "data": {**data, "client": "Acme", "category": "abuse", "details": "insulted Ana"},
        },
    )
    assert submitted.status == 200
    message = submitted.json()["task"]
    assert message["type"] == "message"
    assert "Report filed about Acme" in message["value"]


async def test_the_activitys_locale_chooses_the_language(teams: TeamsDriver) -> None:
    before = len(teams.connector.sent)
    await teams.post(teams.activity(text="client help", locale="es-ES"))
    [answer] = (await teams.connector.wait_for(before + 1))[before:]
    assert "Comandos de Yellowcard" in card_texts(answer.cards[0])


async def test_partial_or_empty_credentials_do_not_open_the_route(database_url: str) -> None:
    for settings in (
        Settings(database_url=database_url, microsoft_app_id=""),
        Settings(
            database_url=database_url, microsoft_app_id="00000000-0000-0000-0000-0000000000b1"
        ),
        Settings(
            database_url=database_url,
            microsoft_app_id="00000000-0000-0000-0000-0000000000b1",
            teams_allow_anonymous=True,
        ),
    ):
        async with (
            running_fake_connector() as connector,
            TestServer(create_app(settings)) as server,
        ):
            driver = TeamsDriver(str(server.make_url("/")), connector)
            answer = await driver.post(driver.activity(text="client help"))
            assert answer.status == 503
            assert "MICROSOFT_APP_ID" in answer.json()["message"]


async def test_an_activity_naming_two_tenants_is_not_served(teams: TeamsDriver) -> None:
    activity = teams.activity(text="client help")
    activity["channelData"]["tenant"]["id"] = "another-organisation"
    assert (await teams.post(activity)).status in {200, 201, 202}
    await asyncio.sleep(0.2)
    assert teams.private_answers("29:ana") == []


async def test_a_guest_who_installs_the_app_does_not_become_a_manager(
    database_url: str,
) -> None:
    settings = teams_settings(database_url)
    async with running_fake_connector() as connector, TestServer(create_app(settings)) as server:
        driver = TeamsDriver(str(server.make_url("/")), connector)
        driver.person("29:gus", userRole="guest")
        driver.person("29:ana")
        await driver.install("29:gus", welcomed=False)
        answer = await driver.post(driver.activity(text="client help"))
        assert answer.status in {200, 201, 202}
        [said] = await connector.wait_for(1)
        assert said.activity["text"].startswith("Yellowcard has no installation")


async def test_only_summary_channels_here_names_the_channel(teams: TeamsDriver) -> None:
    channel = "19:ops@thread.tacv2"
    await teams.say("client settings summary-channels here", user="29:maria", channel=channel)
    settings = card_texts((await teams.say("client settings", user="29:maria")).cards[0])
    assert channel in settings
    assert "messageid" not in settings
    # In a group chat there is no channel to name: "here" stays a word (and goes nowhere).
    await teams.say("client settings summary-channels here", user="29:maria", group_chat="19:chat")
    settings = card_texts((await teams.say("client settings", user="29:maria")).cards[0])
    assert "every Monday at 09:00 in here" in settings


async def test_a_failed_private_answer_says_so_without_details(teams: TeamsDriver) -> None:
    teams.connector.rate_limited["a:personal-29:ana"] = 1
    activity = teams.activity(
        channel="19:support@thread.tacv2", text="<at>Yellowcard</at> client help"
    )
    activity["entities"] = [{"type": "mention", "mentioned": BOT, "text": "<at>Yellowcard</at>"}]
    await teams.post(activity)
    [notice] = await teams.connector.wait_for(1, conversation="19:support@thread.tacv2")
    assert notice.activity["text"] == "I could not write to you privately. Please try again."
    assert "429" not in notice.activity["text"]


async def test_a_button_works_only_for_the_person_it_was_shown_to(teams: TeamsDriver) -> None:
    unknown = await teams.say("report-client Acme scope_creep more")
    create = next(d for label, d in card_buttons(unknown.cards[0]).items() if "Create" in label)
    stolen = await teams.submit(unknown, create, user="29:maria")
    assert "expired" in card_texts(stolen.cards[0])


async def test_the_summary_is_never_posted_to_a_shared_channel(teams: TeamsDriver) -> None:
    shared = "19:with-acme@thread.tacv2"
    await teams.say(
        "client settings summary-channels here",
        user="29:maria",
        channel=shared,
        channel_type="shared",
    )
    await teams.say("client summary", user="29:maria")
    settings = ""
    for _ in range(50):
        settings = card_texts((await teams.say("client settings", user="29:maria")).cards[0])
        if "could not deliver" in settings:
            break
        await asyncio.sleep(0.1)
    assert "shared with another organisation" in settings
    assert [item for item in teams.connector.in_conversation(shared) if item.cards] == []


async def test_channel_messages_are_counted_and_abuse_goes_to_the_managers(
    teams: TeamsDriver,
) -> None:
    channel = "19:acme@thread.tacv2"
    await _acme(teams)
    await teams.say('client link "Acme"', channel=channel)
    teams.person("29:carl", userRole="guest")
    before = len(teams.connector.sent)
    overheard = teams.activity("29:carl", channel=channel, text="Any news on the export?")
    assert (await teams.post(overheard)).status in {200, 201, 202}
    assert (await teams.post(overheard)).status in {200, 201, 202}  # a redelivery
    await asyncio.sleep(0.2)
    assert len(teams.connector.sent) == before, "overheard messages get no answer"
    card = card_texts((await teams.say("client Acme", user="29:maria")).cards[0])
    assert "1 (median of clients: 1)" in card
    await teams.post(teams.activity("29:carl", channel=channel, text="You are all useless idiots."))

    def note() -> Sent | None:
        return next(
            (
                item
                for item in teams.private_answers("29:maria")
                if item.cards and "may be abusive" in card_texts(item.cards[0])
            ),
            None,
        )

    found = await teams.connector.wait_until(note)
    assert "Report as abuse" in card_buttons(found.cards[0])


async def test_a_chosen_language_wins_over_the_activitys(teams: TeamsDriver) -> None:
    before = len(teams.connector.sent)
    await teams.post(teams.activity(text="client settings my-language zh-Hant", locale="es-ES"))
    await teams.connector.wait_for(before + 1)
    await teams.post(teams.activity(text="client help", locale="es-ES"))
    [answer] = (await teams.connector.wait_for(before + 2))[before + 1 :]
    assert "Yellowcard 指令" in card_texts(answer.cards[0])
