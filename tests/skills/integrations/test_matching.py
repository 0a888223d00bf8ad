"""Accounts of Stripe and Zendesk no client has the id of: what they send is held, not
dropped; managers hear of each once, list them, and match them to clients, and the held
signals become the client's."""

import asyncio

from skills.clients.csv_import import import_clients
from skills.commands import MatchAccount
from skills.core.context import system_actor
from skills.core.scope import open_scope
from skills.integrations.unmatched import release_held
from skills.outbox.delivery import unmatched_notification
from skills.replies import Actions, Facts, Paragraph, Reply, ReplyKind
from storage.book_models import SignalKind
from storage.models import OutboxMessage
from tests.support.held import hold, invoice, stored, ticket
from tests.support.workspace import Workspace


def _texts(reply: Reply) -> str:
    return "\n".join(block.text for block in reply.blocks if isinstance(block, Paragraph))


async def _notices(ws: Workspace) -> list[OutboxMessage]:
    async with ws.services.unit_of_work() as uow:
        rows = await uow.outbox.with_key_prefix(ws.tenant_id, "unmatched:")
        await uow.commit()
        return rows


async def test_an_unknown_customer_is_held_and_the_managers_hear_of_it_once(
    workspace: Workspace,
) -> None:
    ws = workspace
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"), name="Acme GmbH")
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"))  # replayed
    paid = invoice("evt_2", SignalKind.INVOICE_PAID)
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", paid, name="Acme AG")
    [account], held, signals = await stored(ws.services, ws.tenant_id)
    assert (account.source, account.external_id, account.events) == ("stripe", "cus_1", 2)
    assert account.display_name == "Acme AG", "the latest name the system gave"
    assert sorted(row.external_id for row in held) == ["evt_1", "evt_2"]
    assert signals == [], "nothing counts for a client yet"
    [notice] = await _notices(ws)
    assert (notice.recipient_id, notice.kind) == ("maria", "unmatched_account")

    listed = await ws.say("/client unmatched", as_user="maria")
    assert listed.data["waiting"] == 1
    [facts] = [block for block in listed.blocks if isinstance(block, Facts)]
    values = {fact.label: fact.value for fact in facts.items}
    assert values["From"] == "Stripe"
    assert values["Account id"] == "cus_1"
    assert values["Name there"] == "Acme AG"
    assert values["Events so far"] == "2"
    [actions] = [block for block in listed.blocks if isinstance(block, Actions)]
    assert actions.buttons[0].command == MatchAccount("stripe", "cus_1")
    refused = await ws.say("/client unmatched", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED


async def test_matching_sets_the_id_and_moves_the_held_signals_once(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client add Acme", as_user="maria")
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"), invoice("evt_2"))
    form = await ws.run(MatchAccount("stripe", "cus_1"), as_user="maria")
    assert form.kind is ReplyKind.FORM, "the button asks for the client"
    matched = await ws.say("/client match stripe cus_1 Acme", as_user="maria")
    assert matched.kind is ReplyKind.RESULT
    assert matched.data["signals"] == 2
    assert "its 2 events went to the client" in _texts(matched)
    [account], held, signals = await stored(ws.services, ws.tenant_id)
    assert account.matched_client_id == matched.data["client_id"]
    assert account.matched_by == "maria"
    assert held == []
    assert sorted((row.external_id, row.client_id) for row in signals) == [
        ("evt_1", account.matched_client_id),
        ("evt_2", account.matched_client_id),
    ]
    async with ws.services.unit_of_work() as uow:
        client = await uow.clients.with_external_id(ws.tenant_id, billing_id="cus_1")
        assert client is not None
        assert (client.id, client.name) == (account.matched_client_id, "Acme")
        edited = await uow.audit.for_subject(ws.tenant_id, "client", str(client.id))
        assert edited[-1].action == "client.edited"
        assert edited[-1].detail["changes"] == {"billing_id": {"before": None, "after": "cus_1"}}

    again = await ws.say("/client match stripe cus_1 Acme", as_user="maria")
    assert (again.kind, again.data["signals"]) == (ReplyKind.RESULT, 0)
    assert "matched to Acme already" in _texts(again)
    assert len((await stored(ws.services, ws.tenant_id))[2]) == 2
    # Heard of again after matching: straight to the client, no second notice.
    await hold(
        ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_3", SignalKind.INVOICE_PAID)
    )
    assert len((await stored(ws.services, ws.tenant_id))[2]) == 3
    assert len(await _notices(ws)) == 1
    assert (await ws.say("/client unmatched", as_user="maria")).data["waiting"] == 0
    async with ws.services.unit_of_work() as uow:
        events = await uow.audit.for_subject(ws.tenant_id, "account", str(account.id))
        assert [event.action for event in events] == ["account.unmatched", "account.matched"]


async def test_an_id_a_person_set_is_never_replaced(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client add Acme billing-id=cus_9", as_user="maria")
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"))
    refused = await ws.say("/client match stripe cus_1 Acme", as_user="maria")
    assert refused.kind is ReplyKind.ERROR
    assert refused.data["error"] == "has_other_id"
    assert "cus_9" in _texts(refused)
    [account], held, signals = await stored(ws.services, ws.tenant_id)
    assert (account.matched_client_id, len(held), signals) == (None, 1, [])
    by_staff = await ws.say("/client match stripe cus_1 Acme", as_user="ana")
    assert by_staff.kind is ReplyKind.REFUSED
    # Another client was given the id meanwhile: the account, and what it sent, are that
    # client's from then on.
    await ws.say("/client add Globex billing-id=cus_1", as_user="maria")
    [account], held, signals = await stored(ws.services, ws.tenant_id)
    assert (held, len(signals)) == ([], 1)
    await ws.say("/client add Initech", as_user="maria")
    taken = await ws.say("/client match stripe cus_1 Initech", as_user="maria")
    assert taken.data["error"] == "matched_to_other"
    assert "Globex" in _texts(taken)


async def test_the_form_says_what_is_missing_or_wrong(workspace: Workspace) -> None:
    ws = workspace
    await hold(ws.services, ws.tenant_id, "zendesk", "901", ticket("z-1"))
    wrong = await ws.say("/client match paypal 901 Acme", as_user="maria")
    assert wrong.kind is ReplyKind.FORM
    assert set(wrong.data["errors"]) == {"source"}
    unknown = await ws.say("/client match zendesk 902 Acme", as_user="maria")
    assert set(unknown.data["errors"]) == {"external_id"}
    no_client = await ws.say("/client match zendesk 901 Nobody", as_user="maria")
    assert no_client.data["error"] == "unknown_client"


async def test_a_client_given_the_id_otherwise_gets_the_held_signals(
    workspace: Workspace,
) -> None:
    """``/client add``, ``/client edit`` and the import give a client what was held for the id
    they set, in their own transaction; the second time there is nothing left to give."""
    ws = workspace
    await hold(ws.services, ws.tenant_id, "zendesk", "901", ticket("z-1"), ticket("z-2"))
    await hold(ws.services, ws.tenant_id, "stripe", "cus_7", invoice("evt_7"))
    await hold(ws.services, ws.tenant_id, "stripe", "cus_8", invoice("evt_8"))
    await ws.say("/client add Acme helpdesk-id=901", as_user="maria")
    await ws.say("/client add Globex", as_user="maria")
    await ws.say("/client edit Globex billing-id=cus_7", as_user="maria")
    async with open_scope(ws.services, system_actor(ws.tenant_id)) as scope:
        await import_clients(scope, "name,billing_id\nInitech,cus_8\n")
    accounts, held, signals = await stored(ws.services, ws.tenant_id)
    assert held == []
    assert len(signals) == 4
    assert all(account.matched_client_id is not None for account in accounts)
    async with open_scope(ws.services, system_actor(ws.tenant_id)) as scope:
        acme = await scope.uow.clients.with_external_id(ws.tenant_id, helpdesk_id="901")
        assert acme is not None
        assert await release_held(scope, acme) == 0


async def test_forgetting_the_client_forgets_the_match(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client add Acme", as_user="maria")
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"))
    await ws.say("/client match stripe cus_1 Acme", as_user="maria")
    forgotten = await ws.say("/client forget Acme confirm", as_user="maria")
    assert forgotten.data["deleted"]["matched_accounts"] == 1
    assert await stored(ws.services, ws.tenant_id) == ([], [], [])
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_2"))
    assert (await ws.say("/client unmatched", as_user="maria")).data["waiting"] == 1


async def test_an_account_matched_before_its_notice_went_out_is_not_announced(
    workspace: Workspace,
) -> None:
    ws = workspace
    await ws.say("/client add Acme", as_user="maria")
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1"), name="ACME GmbH")
    [notice] = await _notices(ws)
    drawn = await unmatched_notification(ws.services, notice)
    assert drawn is not None
    assert drawn.data["events"] == 1
    await hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_2"))
    later = await unmatched_notification(ws.services, notice)
    assert later is not None
    assert later.data["events"] == 2, "drawn when sent: the events counted by then"
    await ws.say("/client match stripe cus_1 Acme", as_user="maria")
    assert await unmatched_notification(ws.services, notice) is None


async def test_two_deliveries_about_a_new_account_at_once_list_it_once(
    workspace: Workspace,
) -> None:
    ws = workspace
    await asyncio.gather(
        hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_1")),
        hold(ws.services, ws.tenant_id, "stripe", "cus_1", invoice("evt_2"), invoice("evt_1")),
    )
    [account], held, _signals = await stored(ws.services, ws.tenant_id)
    assert account.events == 2
    assert sorted(row.external_id for row in held) == ["evt_1", "evt_2"]
    assert len(await _notices(ws)) == 1
