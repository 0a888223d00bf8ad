"""Client records: managers add clients with their fields and change them, in chat and in the
shell's form; every change audited."""

import dataclasses

from skills.clients.record_fields import SEGMENTS
from skills.commands import AddClient, EditClient, ReportIncident
from skills.replies import ReplyKind
from skills.text.command_parser import parse_command
from skills.text.i18n import translator
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_a_manager_adds_a_client_with_its_record(workspace: Workspace) -> None:
    added = await workspace.say(
        '/client add "Acme Corp" segment=ideal tier=gold revenue=1,250.50 currency=eur '
        'owner=ana billing-id=cus_1 helpdesk-id=42 aliases="ACME, Acme Inc" notes="pays late"',
        as_user="maria",
    )
    assert added.kind is ReplyKind.RESULT, added
    assert added.data["record"] == {
        "aliases": ["ACME", "Acme Inc"],
        "segment": "ideal",
        "tier": "gold",
        "revenue": "1250.50",
        "currency": "EUR",
        "owner": "ana",
        "billing-id": "cus_1",
        "helpdesk-id": "42",
        "notes": "pays late",
    }
    # Found by its other names, and the card shows the record.
    card = await workspace.say("/client acme inc")
    assert card.data["record"]["billing-id"] == "cus_1"
    facts = {
        fact.label: fact.value for block in card.blocks for fact in getattr(block, "items", ())
    }
    assert facts["Monthly revenue"] == "€1,250.50"
    assert facts["Segment"] == "Ideal customer"
    export = await workspace.say('/client export "Acme Corp"', as_user="maria")
    client = export.data["export"]["client"]
    assert (client["billing_id"], client["helpdesk_id"], client["tier"]) == ("cus_1", "42", "gold")
    created = [e for e in export.data["export"]["audit"] if e["action"] == "client.created"]
    assert created[0]["detail"]["changes"]["segment"] == {"before": None, "after": "ideal"}


async def test_adding_and_editing_are_for_managers(workspace: Workspace) -> None:
    refused = await workspace.say("/client add Initech", as_user="ana")
    assert refused.kind is ReplyKind.REFUSED
    await new_client(workspace)
    refused = await workspace.say('/client edit "Acme Corp" tier=gold', as_user="ana")
    assert refused.kind is ReplyKind.REFUSED


async def test_wrong_values_come_back_in_a_form(workspace: Workspace) -> None:
    await workspace.say("/client add Globex billing-id=cus_9", as_user="maria")
    reply = await workspace.say(
        "/client add Initech segment=great revenue=lots currency=ABC owner=ana billing-id=cus_9 "
        "colour=red stray",
        as_user="maria",
    )
    assert reply.kind is ReplyKind.FORM
    errors = reply.data["errors"]
    assert set(errors) == {"segment", "revenue", "currency", "billing-id", "colour", "stray"}
    assert "Globex" in errors["billing-id"]
    assert reply.form is not None
    assert reply.form.label_of("billing-id") == "Billing system id"
    # Nothing was created.
    card = await workspace.say("/client Initech")
    assert card.data["error"] == "unknown_client"
    missing = await workspace.say("/client add", as_user="maria")
    assert missing.data["form"] == "client_record"
    no_currency = await workspace.say("/client add Initech revenue=100", as_user="maria")
    assert set(no_currency.data["errors"]) == {"currency"}
    taken = await workspace.say("/client add globex", as_user="maria")
    assert set(taken.data["errors"]) == {"name"}


async def test_the_form_submits_its_fields(workspace: Workspace) -> None:
    form = await workspace.say("/client add", as_user="maria")
    assert form.form is not None
    submitted = AddClient(
        "Initech", (("segment", "adjacent"), ("revenue", "80"), ("currency", "usd"))
    )
    added = await workspace.run(submitted, as_user="maria")
    assert added.data["record"]["revenue"] == "80.00"
    edit = await workspace.run(EditClient("Initech", (("tier", "silver"),)), as_user="maria")
    assert edit.data["changed"] == ["tier"]


async def test_editing_changes_renames_and_audits(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/client add "Globex"', as_user="maria")
    edited = await workspace.say(
        '/client edit "Acme Corp" revenue=2.000,5 currency=EUR notes="two words"',
        as_user="maria",
        locale="es",
    )
    assert edited.data["record"]["revenue"] == "2000.50", edited
    assert edited.data["changed"] == ["currency", "monthly_revenue", "notes"]
    same = await workspace.say('/client edit "Acme Corp" notes="two words"', as_user="maria")
    assert same.data["changed"] == []
    cleared = await workspace.say('/client edit "Acme Corp" notes=', as_user="maria")
    assert cleared.data["record"]["notes"] is None
    taken = await workspace.say('/client edit "Acme Corp" name=globex', as_user="maria")
    assert set(taken.data["errors"]) == {"name"}
    await workspace.say("/client edit Globex billing-id=cus_5 aliases=GBX", as_user="maria")
    its_id = await workspace.say(
        '/client edit "Acme Corp" billing-id=cus_5 aliases="gbx"', as_user="maria"
    )
    assert set(its_id.data["errors"]) == {"billing-id", "aliases"}
    renamed = await workspace.say(
        '/client edit "Acme Corp" name="Acme Holdings" aliases="Acme Holdings, ACH"',
        as_user="maria",
    )
    assert renamed.data["record"]["aliases"] == ["ACH"]
    assert (await workspace.say("/client acme holdings")).data["client"]["name"] == "Acme Holdings"
    assert (await workspace.say('/client "Acme Corp"')).data["error"] == "unknown_client"
    export = await workspace.say("/client export ACH", as_user="maria")
    edits = [
        e["detail"]["changes"]
        for e in export.data["export"]["audit"]
        if e["action"] == "client.edited"
    ]
    assert edits[0]["monthly_revenue"] == {"before": None, "after": "2000.50"}
    assert edits[-1]["name"] == {"before": "Acme Corp", "after": "Acme Holdings"}
    nothing = await workspace.say("/client edit ACH", as_user="maria")
    assert nothing.kind is ReplyKind.FORM
    assert nothing.form is not None
    assert [f.value for f in nothing.form.fields if f.name == "notes"] == [None]
    assert "Acme Holdings" in paragraph_text(renamed)


async def test_the_shell_asks_for_what_is_missing(workspace: Workspace) -> None:
    typed = await workspace.shell(
        "/client add",
        ["Initech", "", "weird", "outside", "", "100", "", "jpy", "", "", "", "late payer"],
        as_user="maria",
    )
    assert typed.reply.kind is ReplyKind.RESULT, typed.said
    assert typed.reply.data["record"]["segment"] == "outside"
    assert typed.reply.data["record"]["currency"] == "JPY"
    assert any("The segment is one of" in line for line in typed.said)


async def test_a_report_replayed_after_a_rename_is_already_filed(workspace: Workspace) -> None:
    await new_client(workspace)
    command = ReportIncident("Acme Corp", "scope_creep", "more", idempotency_key="slack:V1:abc")
    first = await workspace.run(command)
    await workspace.say('/client edit "Acme Corp" name="Acme Holdings"', as_user="maria")
    again = await workspace.run(command)
    assert again.data["duplicate"] is True
    assert again.data["incident_id"] == first.data["incident_id"]
    assert again.data["client"]["name"] == "Acme Holdings"
    # Its "create the client" button, replayed, creates no stray client either.
    created = await workspace.run(dataclasses.replace(command, create_client=True))
    assert created.data["duplicate"] is True
    assert (await workspace.say('/client "Acme Corp"')).data["error"] == "unknown_client"
    someone_else = await workspace.run(command, as_user="bob")
    assert someone_else.data["error"] == "idempotency_conflict"


def test_the_pairs_are_read_with_quotes_and_empty_values() -> None:
    assert parse_command('/client add Acme Corp notes="two words" tier=gold') == AddClient(
        "Acme Corp", (("notes", "two words"), ("tier", "gold"))
    )
    assert parse_command("/client edit “Acme Corp” notes= stray name=「新しい名前」") == EditClient(
        "Acme Corp", (("notes", ""), ("", "stray"), ("name", "新しい名前"))
    )
    assert parse_command("/client add") == AddClient()


async def test_the_form_speaks_the_managers_language(workspace: Workspace) -> None:
    reply = await workspace.say(
        "/client add Initech segment=great revenue=1.000,5", as_user="maria", locale="es"
    )
    spanish = translator("es")
    assert reply.data["errors"]["segment"] == spanish._(
        "The segment is one of {segments}.", segments=spanish.one_of(SEGMENTS)
    )
    assert reply.data["errors"]["segment"].endswith("ideal, adjacent o outside.")
    assert set(reply.data["errors"]) == {"segment", "currency"}
    assert reply.form is not None
    assert reply.form.title == "Agregar un cliente"
    japanese = await workspace.say(
        "/client add Initech tier=" + "x" * 51, as_user="maria", locale="ja"
    )
    assert japanese.data["errors"]["tier"] == "50 文字以内で入力してください。"


async def test_the_shell_edits_a_record_keeping_what_is_shown(workspace: Workspace) -> None:
    await workspace.say("/client add Initech tier=gold notes=late", as_user="maria")
    # Enter keeps each value the record shows; only the tier changes.
    answers = ["Initech", "", "", "", "silver", "", "", "", "", "", ""]
    typed = await workspace.shell("/client edit", answers, as_user="maria")
    assert typed.reply.kind is ReplyKind.RESULT, typed.said
    assert typed.reply.data["changed"] == ["tier"]
    assert typed.reply.data["record"]["notes"] == "late"
