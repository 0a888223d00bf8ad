"""Tokens the JWT check cannot use get 401, bodies that are not activities get 400: never 500."""

import base64
import json
import logging
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.support.fake_connector import running_fake_connector
from tests.support.teams_driver import TeamsAnswer, TeamsDriver

APP_ID = "00000000-0000-0000-0000-00000000b0t1"
# Tokens name Bot Framework's issuer, whose keys the SDK knows where to find; without a key
# id it never asks for them, so these tests make no call outside the loopback.
ISSUER = "https://api.botframework.com"
MARKER = "do-not-log"


def _part(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _token(header: Any, claims: Any = None, signature: str = MARKER) -> str:
    claims = claims if claims is not None else {"aud": APP_ID, "iss": ISSUER, "note": MARKER}
    return f"{_part(header)}.{_part(claims)}.{_part(signature.encode())}"


UNUSABLE_TOKENS = {
    "RS256 without kid": _token({"alg": "RS256", "typ": "JWT"}),
    "no algorithm, no kid": _token({"alg": "none"}),
    "unknown algorithm, no kid": _token({"alg": "XX999", "typ": "JWT"}),
    "header without alg or kid": _token({"typ": "JWT"}),
    "not three parts": f"{MARKER}.{MARKER}",
    "four parts": _token({"alg": "RS256"}) + "." + MARKER,
    "one word": MARKER,
    "header not JSON": f"{_part(b'{not json')}.{_part({'aud': APP_ID})}.{MARKER}",
    "header a list": _token([1, 2]),
    "claims a list": _token({"alg": "RS256"}, [MARKER]),
    "not base64": f"!!{MARKER}!!.??.**",
}


async def _post(driver: TeamsDriver, body: bytes, token: str | None = None) -> TeamsAnswer:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{driver.url}api/messages", data=body, headers=headers) as response,
    ):
        return TeamsAnswer(response.status, await response.text())


def _failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info
    ]


async def test_a_token_the_check_cannot_use_is_refused_with_401(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = Settings(
        database_url=database_url,
        microsoft_app_id=APP_ID,
        microsoft_app_password="not-a-real-secret",
        microsoft_app_tenant_id="00000000-0000-0000-0000-0000000000t1",
    )
    async with running_fake_connector() as connector, TestServer(create_app(settings)) as server:
        driver = TeamsDriver(str(server.make_url("/")), connector)
        body = json.dumps(driver.activity(text="client help")).encode()
        answers = {
            name: await _post(driver, body, token) for name, token in UNUSABLE_TOKENS.items()
        }
        # Without a usable token, a body is not even read: still 401.
        answers["and a malformed body"] = await _post(driver, b"[]", UNUSABLE_TOKENS["one word"])
        wrong = {name: (answer.status, answer.text) for name, answer in answers.items()}
        assert wrong == {
            name: (401, '{"error": "Invalid token or authentication failed."}') for name in wrong
        }
        assert connector.sent == []
    assert _failures(caplog) == []
    assert MARKER not in caplog.text


MALFORMED_BODIES = {
    "not JSON": b'{"type": "message", ',
    "empty": b"",
    "not UTF-8": b'{"type": "message", "text": "\xff\xfe"}',
    "an array": b"[]",
    "a string": b'"message"',
    "null": b"null",
    "without type": json.dumps({"text": MARKER, "conversation": {"id": "a:1"}}).encode(),
    "type a number": json.dumps({"type": 5, "text": MARKER}).encode(),
    "type empty": json.dumps({"type": "", "text": MARKER}).encode(),
}


async def test_a_body_that_is_not_an_activity_is_refused_with_400(
    teams: TeamsDriver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sent = len(teams.connector.sent)
    changed: dict[str, dict[str, Any]] = {
        "from null": {"from": None},
        "conversation a string": {"conversation": "a:1"},
        "without conversation": {"conversation": None},
        "recipient a list": {"recipient": [MARKER]},
        "invoke value a string": {
            "type": "invoke",
            "name": "composeExtension/submitAction",
            "value": MARKER,
        },
        "invoke data a number": {
            "type": "invoke",
            "name": "composeExtension/submitAction",
            "value": {"data": 5},
        },
    }
    bodies = dict(MALFORMED_BODIES)
    for name, change in changed.items():
        bodies[name] = json.dumps({**teams.activity(text=MARKER), **change}).encode()
    answers = {name: await _post(teams, body) for name, body in bodies.items()}
    wrong = {
        name: (answer.status, answer.text)
        for name, answer in answers.items()
        if answer.status != 400 or answer.json()["error"] != "malformed_request"
    }
    assert wrong == {}
    assert answers["without type"].json()["message"] == "type is missing or not a string"
    assert answers["from null"].json()["message"] == "not an activity: from is not valid"
    assert answers["invoke data a number"].json()["message"] == "value.data is not an object"
    assert len(teams.connector.sent) == sent
    assert _failures(caplog) == []
    assert MARKER not in caplog.text
    # A well-formed activity still goes through.
    answer = await teams.say("client help")
    assert answer.cards
