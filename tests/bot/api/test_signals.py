"""``POST /api/v1/signals`` over real HTTP: every kind, replays, every rejection, tokens of
this tenant and of another, revoked tokens, oversize bodies and batches, the rate limit."""

import asyncio
import json
from datetime import timedelta, timezone
from decimal import Decimal

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import create_app
from skills.core.tenancy import ensure_tenant, record_installation_removed
from skills.signals.checking import MAX_SIGNALS
from skills.signals.tokens import MAX_ACTIVE_TOKENS
from tests.bot.api.conftest import SignalsApi, add_clients, api_settings, make_token
from tests.support.workspace import Workspace


def _at(workspace: Workspace, days: int = 0) -> str:
    """A moment relative to the test's clock, in ISO 8601 with a +02:00 offset."""
    moment = workspace.clock() - timedelta(days=days)
    return moment.astimezone(timezone(timedelta(hours=2))).isoformat()


def _every_kind(ws: Workspace) -> list[dict[str, object]]:
    return [
        {"id": "t1", "client": {"billing_id": "B-1"}, "kind": "ticket_opened", "at": _at(ws, 3)},
        {
            "id": "t2",
            "client": {"helpdesk_id": "H-1"},
            "kind": "ticket_solved",
            "at": _at(ws, 2),
            "minutes": 45,
        },
        {"id": "t3", "client": {"name": "acme inc"}, "kind": "touch", "at": _at(ws), "minutes": 0},
        {
            "id": "i1",
            "client": {"name": "Globex"},
            "kind": "invoice_issued",
            "at": _at(ws, 40),
            "amount": 1200.505,
            "currency": "eur",
            "invoice_id": "INV-7",
        },
        {
            "id": "i2",
            "client": {"billing_id": "B-2"},
            "kind": "invoice_overdue",
            "at": _at(ws, 5),
            "amount": "1200.50",
            "currency": "EUR",
            "due_at": _at(ws, 10),
            "invoice_id": "INV-7",
        },
        {
            "id": "i3",
            "client": {"billing_id": "B-2"},
            "kind": "invoice_paid",
            "at": _at(ws),
            "amount": 0,
            "currency": "JPY",
        },
    ]


async def test_every_kind_is_accepted_once_and_a_replay_is_a_duplicate(
    signals_api: SignalsApi,
) -> None:
    api, ws = signals_api, signals_api.workspace
    status, body, _headers = await api.post({"source": "zendesk", "signals": _every_kind(ws)})
    assert status == 200
    assert body == {
        "results": [
            {"id": item, "status": "accepted"} for item in ("t1", "t2", "t3", "i1", "i2", "i3")
        ]
    }
    by_id = {signal.external_id: signal for signal in await api.stored()}
    stored = [by_id[item] for item in ("t1", "t2", "t3", "i1", "i2", "i3")]
    assert [signal.kind for signal in stored] == [
        "ticket_opened", "ticket_solved", "touch",
        "invoice_issued", "invoice_overdue", "invoice_paid",
    ]  # fmt: skip
    acme = stored[0].client_id
    assert [signal.client_id == acme for signal in stored] == [True] * 3 + [False] * 3
    assert stored[1].minutes == 45
    assert stored[2].occurred_at == ws.clock()
    assert (stored[3].amount, stored[3].currency) == (Decimal("1200.51"), "EUR")
    assert stored[4].due_at == ws.clock() - timedelta(days=10)
    assert stored[4].invoice_id == "INV-7"
    assert {signal.source for signal in stored} == {"zendesk"}

    again, replay, _ = await api.post({"source": "zendesk", "signals": _every_kind(ws)[:2]})
    assert again == 200
    assert replay["results"] == [
        {"id": "t1", "status": "duplicate"},
        {"id": "t2", "status": "duplicate"},
    ]
    # The same id twice in one batch: the second is the duplicate of the first.
    twice = [{**_every_kind(ws)[0], "id": "t9"}] * 2
    _, within, _ = await api.post({"source": "zendesk", "signals": twice})
    assert [result["status"] for result in within["results"]] == ["accepted", "duplicate"]
    # The same ids from another source are other signals.
    _, other, _ = await api.post({"source": "stripe", "signals": _every_kind(ws)[:1]})
    assert other["results"] == [{"id": "t1", "status": "accepted"}]
    assert len(await api.stored()) == 8
    async with aiohttp.ClientSession() as http, http.get(api.server.make_url("/metrics")) as got:
        metrics = await got.text()
    assert 'yellowcard_api_signals_total{status="accepted"} 8.0' in metrics
    assert 'yellowcard_api_signals_total{status="duplicate"} 3.0' in metrics


async def test_each_wrong_item_is_rejected_alone_with_why(signals_api: SignalsApi) -> None:
    api, ws = signals_api, signals_api.workspace
    at = _at(ws)
    ticket = {"client": {"billing_id": "B-1"}, "kind": "touch", "at": at}
    invoice = {"client": {"billing_id": "B-1"}, "kind": "invoice_issued", "at": at}
    money = {"amount": 10, "currency": "EUR"}
    both = {"billing_id": "B-1", "name": "Acme"}
    wrong: list[tuple[object, str, str]] = [
        ("not an object", "invalid_item", "a signal is a JSON object"),
        ({**ticket}, "missing_field", "id is missing"),
        ({**ticket, "id": ""}, "invalid_field", "id is a text"),
        ({**ticket, "id": "a", "subject": "Printer on fire"}, "unknown_field", "subject"),
        ({**ticket, "id": "b", "kind": "call"}, "invalid_field", "kind is one of"),
        ({**ticket, "id": "c", "amount": 5}, "field_not_allowed", "touch does not take amount"),
        ({**invoice, **money, "id": "d", "minutes": 5}, "field_not_allowed", "minutes"),
        ({**ticket, "id": "e", "client": both}, "invalid_field", "one"),
        ({**ticket, "id": "f", "client": {"email": "a@b.c"}}, "invalid_field", "client"),
        ({**ticket, "id": "g", "at": "2026-03-02T09:00:00"}, "invalid_field", "with its offset"),
        ({**ticket, "id": "h", "at": "yesterday"}, "invalid_field", "at is"),
        ({**ticket, "id": "i", "minutes": -1}, "invalid_field", "minutes is a whole number"),
        ({**ticket, "id": "j", "minutes": 1.5}, "invalid_field", "minutes"),
        ({**ticket, "id": "k", "minutes": True}, "invalid_field", "minutes"),
        ({**invoice, "id": "l", "currency": "EUR"}, "missing_field", "amount is missing"),
        ({**invoice, **money, "id": "m", "amount": -1}, "invalid_field", "amount"),
        ({**invoice, **money, "id": "n", "amount": "1e3"}, "invalid_field", "amount"),
        ({**invoice, **money, "id": "o", "amount": "NaN"}, "invalid_field", "amount"),
        ({**invoice, **money, "id": "p", "amount": 10**13}, "invalid_field", "amount"),
        ({**invoice, "id": "q", "amount": 10}, "missing_field", "currency is missing"),
        ({**invoice, **money, "id": "r", "currency": "XTS"}, "invalid_field", "ISO 4217"),
        ({**invoice, **money, "id": "s", "currency": "EURO"}, "invalid_field", "ISO 4217"),
        ({**invoice, **money, "id": "t", "kind": "invoice_overdue"}, "missing_field", "due_at"),
        ({**invoice, **money, "id": "u", "invoice_id": 7}, "invalid_field", "invoice_id"),
        ({**ticket, "id": "v", "client": {"billing_id": "B-9"}}, "unknown_client", "never create"),
        ({**ticket, "id": "w", "client": {"name": "Initech"}}, "unknown_client", "Initech"),
    ]  # fmt: skip
    good = {**ticket, "id": "ok"}
    status, body, _ = await api.post(
        {"source": "zendesk", "signals": [item for item, _code, _said in wrong] + [good]}
    )
    assert status == 200
    results = body["results"]
    assert results[-1] == {"id": "ok", "status": "accepted"}
    for (item, code, said), result in zip(wrong, results, strict=False):
        assert result["status"] == "rejected", item
        assert result["error"] == code, (item, result)
        assert said in result["message"], (item, result)
        assert result["id"] == (item.get("id") or None if isinstance(item, dict) else None)
    assert [signal.external_id for signal in await api.stored()] == ["ok"]


async def test_the_body_and_the_batch_are_checked_first(signals_api: SignalsApi) -> None:
    api, ws = signals_api, signals_api.workspace
    item = _every_kind(ws)[0]
    for raw, status, error in (
        (b"{not json", 400, "malformed_json"),
        (b'{"source": "z", "signals": [NaN]}', 400, "malformed_json"),
        (b"\xff\xfe", 400, "malformed_json"),
        (b"[]", 422, "invalid_body"),
        (b'{"source": "z"}', 422, "invalid_body"),
        (b'{"source": "", "signals": []}', 422, "invalid_body"),
        (b'{"source": "z", "signals": [], "extra": 1}', 422, "invalid_body"),
    ):
        answered, body, _ = await api.post(None, raw=raw)
        assert (answered, body["error"]) == (status, error), raw
        assert body["message"]
    too_many = [{**item, "id": f"n{number}"} for number in range(MAX_SIGNALS + 1)]
    answered, body, _ = await api.post({"source": "z", "signals": too_many})
    assert (answered, body["error"]) == (413, "too_many_signals")
    huge = json.dumps({"source": "z", "signals": [item], "pad": "x" * 1024 * 1024}).encode()
    answered, body, _ = await api.post(None, raw=huge)
    assert (answered, body["error"]) == (413, "body_too_large")
    assert await api.stored() == []
    # Exactly the most a batch holds is fine.
    answered, body, _ = await api.post({"source": "z", "signals": too_many[:MAX_SIGNALS]})
    assert answered == 200
    assert len(body["results"]) == MAX_SIGNALS


async def test_only_a_valid_token_of_the_tenant_gets_in(
    signals_api: SignalsApi, workspace: Workspace
) -> None:
    api = signals_api
    batch = {"source": "zendesk", "signals": _every_kind(workspace)[:1]}
    for token in ("", "not-a-token", "yc_" + "A" * 43, api.token + "x", "yc_é", "yc_" * 100):
        status, body, headers = await api.post(batch, token=token)
        assert (status, body["error"]) == (401, "unauthorized"), token
        assert headers["WWW-Authenticate"].startswith("Bearer")
    revoked = await workspace.say("/client settings api-token revoke helpdesk", as_user="maria")
    assert revoked.data == {"revoked": "helpdesk"}
    status, _body, _ = await api.post(batch)
    assert status == 401
    assert await api.stored() == []


async def test_another_tenants_token_touches_only_its_own_tenant(signals_api: SignalsApi) -> None:
    api, ours = signals_api, signals_api.workspace
    theirs = Workspace(ours.services, ours.clock, f"{ours.tenant_id}-other")
    await ensure_tenant(
        ours.services, tenant_id=theirs.tenant_id, platform="local", founder=theirs.person("maria")
    )
    their_token = await make_token(theirs)
    # Our clients' ids and names mean nothing in their tenant.
    status, body, _ = await api.post(
        {"source": "zendesk", "signals": _every_kind(ours)}, token=their_token
    )
    assert status == 200
    assert {result["error"] for result in body["results"]} == {"unknown_client"}
    await add_clients(theirs)
    _, body, _ = await api.post(
        {"source": "zendesk", "signals": _every_kind(ours)}, token=their_token
    )
    assert {result["status"] for result in body["results"]} == {"accepted"}
    assert await api.stored() == []
    assert len(await api.stored(theirs.tenant_id)) == 6
    # Their signals do not make ours duplicates: the same source and ids are ours to send.
    _, body, _ = await api.post({"source": "zendesk", "signals": _every_kind(ours)})
    assert {result["status"] for result in body["results"]} == {"accepted"}


async def test_past_the_rate_a_token_waits_and_others_do_not(
    database_url: str, workspace: Workspace
) -> None:
    await add_clients(workspace)
    first, second = await make_token(workspace, "one"), await make_token(workspace, "two")
    async with TestServer(create_app(api_settings(database_url, per_minute=2))) as server:
        api = SignalsApi(server, workspace, first)
        batch = {"source": "zendesk", "signals": []}
        assert [(await api.post(batch))[0] for _ in range(2)] == [200, 200]
        status, body, headers = await api.post(batch)
        assert (status, body["error"]) == (429, "rate_limited")
        # Two a minute: the next one is back within 30 seconds (less the time the two took).
        assert 1 <= int(headers["Retry-After"]) <= 30
        assert (await api.post(batch, token=second))[0] == 200


async def test_guessing_tokens_is_limited_by_address_before_any_lookup(
    database_url: str, workspace: Workspace
) -> None:
    await add_clients(workspace)
    token = await make_token(workspace)
    async with TestServer(create_app(api_settings(database_url, per_minute=3))) as server:
        api = SignalsApi(server, workspace, token)
        batch = {"source": "zendesk", "signals": []}
        guesses = [(await api.post(batch, token="yc_" + "G" * 43))[0] for _ in range(4)]
        assert guesses == [401, 401, 401, 429]
        status, body, headers = await api.post(batch, token="")
        assert (status, body["error"]) == (429, "rate_limited")
        assert int(headers["Retry-After"]) >= 1
        # The address is held back only while it sends no valid token... and its own valid
        # token's bucket is another one; but the address's bucket is checked first.
        assert (await api.post(batch))[0] == 429


async def test_a_workspace_has_at_most_twenty_active_tokens(workspace: Workspace) -> None:
    for n in range(MAX_ACTIVE_TOKENS):
        await make_token(workspace, f"system-{n}")
    refused = await workspace.say("/client settings api-token create one-more", as_user="maria")
    assert refused.kind.value == "error"
    assert "at most 20 active tokens" in str(refused.blocks)
    await workspace.say("/client settings api-token revoke system-0", as_user="maria")
    assert await make_token(workspace, "one-more")


async def test_an_uninstall_revokes_the_workspaces_tokens(signals_api: SignalsApi) -> None:
    api = signals_api
    batch = {"source": "zendesk", "signals": []}
    assert (await api.post(batch))[0] == 200
    services, tenant = api.workspace.services, api.workspace.tenant_id
    # Slack's tokens being revoked is not an uninstall: the API's tokens stay.
    await record_installation_removed(services, tenant, what="tokens_revoked", detail={})
    assert (await api.post(batch))[0] == 200
    await record_installation_removed(services, tenant, what="uninstalled", detail={})
    assert (await api.post(batch))[0] == 401


async def test_the_token_list_shows_its_last_use_and_forgetting_deletes_signals(
    signals_api: SignalsApi,
) -> None:
    api, ws = signals_api, signals_api.workspace
    listed = await ws.say("/client settings api-token list", as_user="maria")
    assert "never used" in str(listed.blocks)
    await api.post({"source": "zendesk", "signals": _every_kind(ws)})
    listed = await ws.say("/client settings api-token list", as_user="maria")
    assert "last used" in str(listed.blocks)
    assert listed.data == {"api_tokens": [{"name": "helpdesk", "active": True}]}
    preview = await ws.say("/client forget Acme confirm", as_user="maria")
    assert preview.data["deleted"]["api_signals"] == 3
    assert sorted(signal.external_id for signal in await api.stored()) == ["i1", "i2", "i3"]


async def test_the_same_batch_sent_twice_at_once_is_recorded_once(signals_api: SignalsApi) -> None:
    api, ws = signals_api, signals_api.workspace
    batch = {"source": "zendesk", "signals": _every_kind(ws)}
    # The same signals in the other order too: neither waits for the other for ever.
    backwards = {"source": "zendesk", "signals": _every_kind(ws)[::-1]}
    first, second = await asyncio.gather(api.post(batch), api.post(backwards))
    assert (first[0], second[0]) == (200, 200)
    theirs = {result["id"]: result["status"] for result in second[1]["results"]}
    assert [result["id"] for result in first[1]["results"]] == ["t1", "t2", "t3", "i1", "i2", "i3"]
    for mine in first[1]["results"]:
        assert {mine["status"], theirs[mine["id"]]} == {"accepted", "duplicate"}, mine
    assert len(await api.stored()) == 6


async def test_names_are_found_as_client_finds_them(signals_api: SignalsApi) -> None:
    api, ws = signals_api, signals_api.workspace
    names = ["ACME", "  acme ", "ACME Inc", "acme inc", "Nobody", "nobody", "x" * 200]
    signals = [
        {"id": f"n{number}", "client": {"name": name}, "kind": "touch", "at": _at(ws)}
        for number, name in enumerate(names)
    ]
    _, body, _ = await api.post({"source": "crm", "signals": signals})
    assert [result["status"] for result in body["results"]] == ["accepted"] * 4 + ["rejected"] * 3
    # Every spelling and alias is the one client, Acme.
    assert len({signal.client_id for signal in await api.stored()}) == 1
