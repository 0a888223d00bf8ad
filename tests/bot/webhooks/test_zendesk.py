"""``POST /webhooks/zendesk/{connection}`` through real HTTP, with the trigger's body of
docs/integrations.md signed as Zendesk signs it."""

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.webhooks.zendesk import verifies, zendesk_signature
from tests.bot.webhooks.conftest import Webhooks


def ticket(event: str, **fields: Any) -> dict[str, Any]:
    """The body docs/integrations.md has the team paste, as Zendesk fills it in."""
    return {
        "event": event,
        "ticket_id": "35436",
        "organization_id": "H-1",
        "organization_name": "Acme",
        "updated_at": "2026-03-02T10:15Z",
        "time_spent_seconds": "",
        **fields,
    }


def test_the_signature_is_zendesks() -> None:
    # Zendesk's verification guide: its formula today, the timestamp followed by the body.
    timestamp, body = "2021-07-25T10:00:00Z", b'{"say": "hello"}'
    secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
    signature = zendesk_signature(secret, timestamp, body)
    assert signature == "gf3v0LzLRHPUnIdhbvwRDVEvzSb07/QN0GYjSNlkBT0="
    assert verifies(secret, timestamp, body, signature)
    # The guide's one worked example, published with its signature, verifies only as the body
    # followed by the timestamp: Zendesk's requests are taken either way.
    example = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="
    published = "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="
    assert verifies(example, timestamp, body, published)
    assert not verifies(secret, timestamp, body, published)
    assert not verifies(example, "2021-07-25T10:00:01Z", body, published)


async def test_created_solved_and_reopened_tickets_are_signals(webhooks: Webhooks) -> None:
    assert await webhooks.zendesk(ticket("ticket_created")) == (200, {"status": "recorded"})
    solved = ticket("ticket_solved", time_spent_seconds="5430", updated_at="2026-03-03T09:00Z")
    assert await webhooks.zendesk(solved) == (200, {"status": "recorded"})
    reopened = ticket("ticket_reopened", updated_at="2026-03-04T11:20Z")
    assert await webhooks.zendesk(reopened) == (200, {"status": "recorded"})

    signals = await webhooks.signals()
    assert [(s.source, s.external_id, s.kind, s.minutes) for s in signals] == [
        ("zendesk", "35436:ticket_created", "ticket_opened", None),
        ("zendesk", "35436:ticket_solved:2026-03-03T09:00Z", "ticket_solved", 90),
        ("zendesk", "35436:ticket_reopened:2026-03-04T11:20Z", "touch", None),
    ]


async def test_a_forged_or_stale_request_changes_nothing(webhooks: Webhooks) -> None:
    body = ticket("ticket_created")
    now = datetime.now(UTC)
    for signing in (
        {"secret": "not the connection's"},
        {"at": now - timedelta(minutes=6)},
        {"at": now + timedelta(minutes=6)},
    ):
        status, answer = await webhooks.zendesk(body, **signing)
        assert status == 400, signing
        assert answer["error"] in {"bad_signature", "stale_timestamp"}
    status, _ = await webhooks.post(webhooks.zendesk_path, b"{}", {})
    assert status == 400
    assert await webhooks.signals() == []


async def test_a_replayed_request_is_kept_once(webhooks: Webhooks) -> None:
    body = ticket("ticket_solved", time_spent_seconds="600")
    assert await webhooks.zendesk(body) == (200, {"status": "recorded"})
    # Zendesk retries with a new timestamp; the body is the same.
    assert await webhooks.zendesk(body) == (200, {"status": "duplicate"})
    assert len(await webhooks.signals()) == 1


async def test_an_unknown_organisation_is_held_not_lost(webhooks: Webhooks) -> None:
    body = ticket("ticket_created", organization_id="998877", organization_name="Initech")
    assert await webhooks.zendesk(body) == (200, {"status": "held"})
    [account] = await webhooks.accounts()
    assert (account.source, account.external_id, account.display_name) == (
        "zendesk",
        "998877",
        "Initech",
    )
    [held] = await webhooks.held()
    assert (held.kind, held.account_id) == ("ticket_opened", account.id)


async def test_ticket_text_is_refused_and_a_ticket_without_organisation_ignored(
    webhooks: Webhooks,
) -> None:
    with_text = ticket("ticket_created", subject="{{ticket.title}} pasted by mistake")
    status, answer = await webhooks.zendesk(with_text)
    assert status == 422
    assert "subject" in answer["message"]
    unknown_event = ticket("ticket_deleted")
    assert (await webhooks.zendesk(unknown_event))[0] == 422
    alone = ticket("ticket_created", organization_id="", organization_name="")
    assert await webhooks.zendesk(alone) == (200, {"status": "ignored"})
    assert await webhooks.signals() == []
    assert await webhooks.accounts() == []


async def test_a_solved_ticket_needs_its_update_time(webhooks: Webhooks) -> None:
    body = ticket("ticket_solved")
    del body["updated_at"]
    status, answer = await webhooks.zendesk(body)
    assert status == 422
    assert "updated_at" in answer["message"]
    assert await webhooks.signals() == []
