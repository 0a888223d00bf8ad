"""``client export`` in Teams: the manager is asked to allow the file (a file consent card);
allowed, the outbox puts the JSON into the upload session Teams opened and sends a file info
card; declined, nothing goes. Only the manager the file was offered to can answer."""

import json
import uuid
from typing import Any

from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.teams.file_consent import CONSENT_CARD, FILE_CONSENT, FILE_INFO_CARD
from tests.support.fake_connector import running_fake_connector
from tests.support.teams_driver import (
    TeamsDriver,
    answer_with,
    card_texts,
    filed,
    personal_chat,
    teams_settings,
)

DETAILS = "a third free dashboard"


def _attachments(teams: TeamsDriver, user: str, content_type: str) -> list[dict[str, Any]]:
    return [
        attachment
        for sent in teams.private_answers(user)
        for attachment in sent.activity.get("attachments") or []
        if attachment.get("contentType") == content_type
    ]


async def _offered(teams: TeamsDriver) -> dict[str, Any]:
    """Ana reports Acme; María asks for its export. The consent card she gets."""
    await filed(teams, f"Acme scope_creep {DETAILS}")
    answer = await answer_with(teams, "client export Acme", "on its way", user="29:maria")
    assert "The export of Acme is on its way to you in a direct message" in card_texts(
        answer.cards[0]
    )
    [consent] = await teams.connector.wait_until(
        lambda: _attachments(teams, "29:maria", CONSENT_CARD) or None
    )
    return consent


def _upload_info(teams: TeamsDriver, session: str) -> dict[str, str]:
    """What Teams sends with Allow: the upload session it opened in the person's OneDrive."""
    return {
        "name": "Acme-export.json",
        "uploadUrl": teams.connector.upload_url(session),
        "contentUrl": "https://contoso.sharepoint.com/personal/maria/Documents/Acme-export.json",
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
        "fileType": "json",
        "etag": "1",
    }


async def test_allowed_the_json_is_uploaded_and_shown(teams: TeamsDriver) -> None:
    consent = await _offered(teams)
    assert consent["name"] == "Acme-export.json"
    card = consent["content"]
    assert card["description"] == "Export of Acme"
    assert card["sizeInBytes"] > 0
    # The introducing message came first, in the same chat.
    intro = next(
        sent
        for sent in teams.private_answers("29:maria")
        if sent.cards and "The export holds 1 report" in card_texts(sent.cards[0])
    )
    assert intro.conversation_id == personal_chat("29:maria")

    value = {
        "type": "fileUpload",
        "action": "accept",
        "context": card["acceptContext"],
        "uploadInfo": _upload_info(teams, "maria-acme"),
    }
    answer = await teams.invoke(FILE_CONSENT, value, user="29:maria")
    assert answer.status == 200
    upload = await teams.connector.wait_for_upload("maria-acme")
    export = json.loads(upload.content.decode("utf-8"))
    assert export["client"]["name"] == "Acme"
    assert [row["details"] for row in export["incidents"]] == [DETAILS]
    size = len(upload.content)
    assert upload.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}"
    assert "Authorization" not in upload.headers

    [info] = await teams.connector.wait_until(
        lambda: _attachments(teams, "29:maria", FILE_INFO_CARD) or None
    )
    assert info["name"] == "Acme-export.json"
    assert info["contentUrl"].endswith("/Documents/Acme-export.json")
    assert info["content"] == {
        "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
        "fileType": "json",
    }


async def test_declined_nothing_is_uploaded(teams: TeamsDriver) -> None:
    consent = await _offered(teams)
    value = {
        "type": "fileUpload",
        "action": "decline",
        "context": consent["content"]["declineContext"],
    }
    before = len(teams.private_answers("29:maria"))
    answer = await teams.invoke(FILE_CONSENT, value, user="29:maria")
    assert answer.status == 200
    [said] = teams.private_answers("29:maria")[before:]
    assert "You declined the export of Acme: nothing was saved." in card_texts(said.cards[0])
    assert teams.connector.uploads == {}


async def test_only_the_manager_it_was_offered_to_can_allow_it(teams: TeamsDriver) -> None:
    refused = await answer_with(teams, "client export Acme", "Only managers", user="29:ana")
    assert "on its way" not in card_texts(refused.cards[0])

    consent = await _offered(teams)
    value = {
        "type": "fileUpload",
        "action": "accept",
        "context": consent["content"]["acceptContext"],
        "uploadInfo": _upload_info(teams, "ana-acme"),
    }
    before = len(teams.private_answers("29:ana"))
    answer = await teams.invoke(FILE_CONSENT, value, user="29:ana")
    assert answer.status == 200
    [said] = teams.private_answers("29:ana")[before:]
    assert "That file is out of date" in card_texts(said.cards[0])
    # Refused before anything was queued: no upload can follow.
    assert teams.connector.uploads == {}


async def test_an_offer_made_before_a_restart_is_answered_after_it(database_url: str) -> None:
    async with running_fake_connector() as connector:
        tenant = str(uuid.uuid4())
        async with TestServer(create_app(teams_settings(database_url))) as server:
            teams = TeamsDriver(str(server.make_url("/")), connector, tenant=tenant)
            for person in ("29:maria", "29:ana"):
                teams.person(person)
            await teams.install("29:maria")
            consent = await _offered(teams)
        # Nothing of the offer was kept in the process that made it.
        async with TestServer(create_app(teams_settings(database_url))) as server:
            teams = TeamsDriver(str(server.make_url("/")), connector, tenant=tenant)
            value = {
                "type": "fileUpload",
                "action": "accept",
                "context": consent["content"]["acceptContext"],
                "uploadInfo": _upload_info(teams, "after-restart"),
            }
            assert (await teams.invoke(FILE_CONSENT, value, user="29:maria")).status == 200
            upload = await connector.wait_for_upload("after-restart")
        assert json.loads(upload.content)["client"]["name"] == "Acme"
