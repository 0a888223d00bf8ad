"""Clients from a CSV file, and back: good files, every kind of wrong line with its line and
column, a byte-order mark, Excel's semicolons, dry runs, skipping wrong lines, re-importing."""

import pytest

from skills.clients.csv_export import export_clients
from skills.clients.csv_import import ImportResult, import_clients, result_lines
from skills.core.context import Actor
from skills.core.scope import open_scope
from skills.text.i18n import translator
from tests.support.scenarios import cross
from tests.support.workspace import Workspace

HEADER = "name,aliases,segment,tier,revenue,currency,owner,billing_id,helpdesk_id,notes\n"
GOOD = (
    HEADER
    + 'Acme Corp,"ACME, Acme Inc",ideal,gold,1250.50,eur,ana,cus_1,org_1,"pays late, always"\n'
    + "Globex,,adjacent,,,,,cus_2,,\n"
    + "Initech,,,,,,,,,\n"
)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """The test's workspace, by a short name."""
    return workspace


async def _import(
    ws: Workspace, text: str, *, dry_run: bool = False, skip_invalid: bool = False
) -> ImportResult:
    actor = Actor(ws.tenant_id, "cli:ops", "ops")
    async with open_scope(ws.services, actor) as scope:
        return await import_clients(scope, text, dry_run=dry_run, skip_invalid=skip_invalid)


async def _export(ws: Workspace) -> str:
    async with open_scope(ws.services, Actor(ws.tenant_id, "cli:ops", "ops")) as scope:
        return await export_clients(scope)


async def test_a_file_creates_then_changes_nothing_when_imported_again(ws: Workspace) -> None:
    first = await _import(ws, GOOD)
    assert first.written
    assert not first.errors
    assert [plan.name for plan in first.created] == ["Acme Corp", "Globex", "Initech"]
    card = await ws.say("/client acme inc")
    assert card.data["record"]["billing-id"] == "cus_1"
    assert card.data["record"]["revenue"] == "1250.50"
    assert card.data["record"]["notes"] == "pays late, always"
    again = await _import(ws, GOOD)
    assert (len(again.created), len(again.changed), again.unchanged) == (0, 0, 3)
    exported = await _export(ws)
    assert exported.splitlines()[0] == HEADER.strip()
    assert 'Acme Corp,"ACME, Acme Inc",ideal,gold,1250.50,EUR,ana,cus_1,org_1' in exported
    assert (await _import(ws, exported)).unchanged == 3
    audit = await ws.say('/client export "Acme Corp"', as_user="maria")
    created = [e for e in audit.data["export"]["audit"] if e["action"] == "client.created"]
    assert created[0]["detail"]["source"] == "import"
    assert created[0]["detail"]["changes"]["billing_id"] == {"before": None, "after": "cus_1"}


async def test_lines_find_their_client_by_id_then_by_name(ws: Workspace) -> None:
    await _import(ws, GOOD)
    update = (
        "name,billing_id,helpdesk_id,tier,notes\n"
        "Acme Holdings,cus_1,,platinum,\n"  # found by its billing id: renamed
        ",,org_1,,\n"  # the same client again, by its help desk id
        "globex,,,silver,\n"  # found by its name, spelled another way: not renamed
    )
    result = await _import(ws, update, dry_run=True)
    assert [(e.line, e.column) for e in result.errors] == [(3, "name")]
    assert "line 2" in result.errors[0].message
    fixed = update.replace(",,org_1,,\n", "")
    done = await _import(ws, fixed)
    assert [plan.name for plan in done.changed] == ["Acme Holdings", "Globex"]
    assert done.changed[0].changes["name"] == {"before": "Acme Corp", "after": "Acme Holdings"}
    # An empty cell left the notes as they were.
    card = await ws.say("/client acme holdings")
    assert card.data["record"]["notes"] == "pays late, always"
    assert card.data["record"]["tier"] == "platinum"


async def test_every_wrong_cell_is_named_and_nothing_is_written(ws: Workspace) -> None:
    await _import(ws, GOOD)
    bad = (
        HEADER
        + ",,ideal,,,,,,,\n"  # 2: no name
        + "Hooli,,great,,lots,ZZZ,,,,\n"  # 3: segment, revenue, currency
        + "Hooli2,,,,100,,,,,\n"  # 4: revenue without currency
        + "Hooli3,,,,,,,cus_2,org_1,\n"  # 5: Globex by its billing id; org_1 is Acme's
        + "Hooli4,Globex,,,,,,,,\n"  # 6: another client's name as an alias
        + "Hooli5,,,,,,,,,,extra\n"  # 7: one cell too many
        + f"{'x' * 201},,,,,,,,,\n"  # 8: a name too long
        + "Good One,,,,,,,,,\n"  # 9: right
    )
    result = await _import(ws, bad)
    assert not result.written
    found = [(e.line, e.column) for e in result.errors]
    assert found == [
        (2, "name"),
        (3, "segment"),
        (3, "revenue"),
        (3, "currency"),
        (4, "currency"),
        (5, "helpdesk_id"),
        (6, "aliases"),
        (7, "11"),
        (8, "name"),
    ]
    lines = result_lines(translator("en"), result, dry_run=False)
    assert lines[0] == "line 2, column name: A new client needs a name."
    assert "line 5, column helpdesk_id: “Acme Corp” has this help desk id already." in lines
    assert "line 6, column aliases: “Globex” is already a name of “Globex”." in lines
    assert "line 7, column 11: The line has 11 cells; the header has 10 columns." in lines
    assert lines[-1].startswith("Nothing written: 7 lines are wrong.")
    assert (await ws.say('/client "Good One"')).data["error"] == "unknown_client"
    skipped = await _import(ws, bad, skip_invalid=True)
    assert skipped.written
    assert [plan.name for plan in skipped.created] == ["Good One"]
    assert (await ws.say('/client "Good One"')).data["client"]["name"] == "Good One"


async def test_a_wrong_header_stops_everything(ws: Workspace) -> None:
    result = await _import(ws, "name,colour\nAcme,red\n", skip_invalid=True)
    assert [(e.line, e.column) for e in result.errors] == [(1, "colour")]
    assert not result.written
    nameless = await _import(ws, "tier\ngold\n")
    assert [(e.line, e.column) for e in nameless.errors] == [(1, "name")]
    one_column = await _import(ws, "name\nAcme,red\n")
    assert [e.message for e in one_column.errors] == [
        "The line has 2 cells; the header has 1 column."
    ]


async def test_excel_semicolons_and_a_byte_order_mark(ws: Workspace) -> None:
    excel = '\ufeffname;revenue;currency;notes\r\nAcme Corp;1.250,50;EUR;"one; two"\r\n'
    # The tenant speaks Spanish: its notation is read, as the plain one is.
    await ws.say("/client settings language es", as_user="maria")
    result = await _import(ws, excel)
    assert not result.errors, result.errors
    card = await ws.say('/client "Acme Corp"')
    assert card.data["record"]["revenue"] == "1250.50"
    assert card.data["record"]["notes"] == "one; two"


async def test_a_dry_run_says_what_would_change(ws: Workspace) -> None:
    await _import(ws, GOOD)
    result = await _import(ws, "name,tier\nGlobex,bronze\nHooli,\n", dry_run=True)
    lines = result_lines(translator("en"), result, dry_run=True)
    assert lines == [
        "line 3: would create “Hooli”",
        "line 2: would change “Globex” (tier: — → bronze)",
        "Dry run, nothing written. To create: 1, to change: 1, unchanged: 0, wrong lines: 0.",
    ]
    assert (await ws.say("/client Hooli")).data["error"] == "unknown_client"


async def test_a_cell_a_spreadsheet_would_run_is_quoted_and_read_back(ws: Workspace) -> None:
    await ws.say('/client add "=1+2" notes="-5 is not a formula"', as_user="maria")
    exported = await _export(ws)
    assert "'=1+2,,,,,,,,,'-5 is not a formula" in exported
    assert (await _import(ws, exported)).unchanged == 1


async def test_an_import_never_replaces_a_billing_or_help_desk_id(ws: Workspace) -> None:
    await _import(ws, GOOD)
    header = "name,billing_id,helpdesk_id\n"
    # Acme by its name, with another billing id; Globex by its name gets a help desk id it
    # lacked; Initech a billing id it lacked.
    by_name = await _import(ws, header + "Acme Corp,cus_9,\nGlobex,cus_2,org_2\nInitech,cus_3,\n")
    assert [(e.line, e.column) for e in by_name.errors] == [(2, "billing_id")]
    assert result_lines(translator("en"), by_name, dry_run=False)[0] == (
        "line 2, column billing_id: “Acme Corp” has the billing id “cus_1”: change it with "
        "/client edit."
    )
    # Acme by its billing id, with another help desk id.
    by_billing = await _import(ws, header + ",cus_1,org_9\n", dry_run=True)
    assert [(e.line, e.column) for e in by_billing.errors] == [(2, "helpdesk_id")]
    assert "“org_1”" in by_billing.errors[0].message
    # By its own ids: nothing to change.
    assert (await _import(ws, header + ",cus_1,org_1\n")).unchanged == 1
    card = await ws.say('/client "Acme Corp"')
    assert (card.data["record"]["billing-id"], card.data["record"]["helpdesk-id"]) == (
        "cus_1",
        "org_1",
    )


async def test_a_later_line_may_take_a_name_an_earlier_line_freed(ws: Workspace) -> None:
    await _import(ws, GOOD)
    update = (
        "name,billing_id,aliases\n"
        "Globex Old,cus_2,\n"  # 2: Globex renamed, by its billing id
        "Globex,cus_1,Acme Group\n"  # 3: Acme takes Globex's name; its other names go
        "Acme Corp,,\n"  # 4: a new client with Acme's old name
        "Initech,,Acme Inc\n"  # 5: Acme's old other name, for Initech
    )
    result = await _import(ws, update)
    assert not result.errors, result.errors
    assert [plan.name for plan in result.changed] == ["Globex Old", "Globex", "Initech"]
    assert [plan.name for plan in result.created] == ["Acme Corp"]
    assert (await ws.say("/client globex")).data["record"]["billing-id"] == "cus_1"
    assert (await ws.say('/client "Globex Old"')).data["record"]["billing-id"] == "cus_2"
    assert (await ws.say('/client "Acme Inc"')).data["client"]["name"] == "Initech"
    assert (await ws.say('/client "Acme Corp"')).data["record"]["billing-id"] is None


async def test_a_value_starting_with_a_quoted_formula_comes_back_as_it_was(ws: Workspace) -> None:
    await ws.say('/client add Hooli notes="\'=SUM(A1)"', as_user="maria")
    assert (await ws.say("/client hooli")).data["record"]["notes"] == "'=SUM(A1)"
    exported = await _export(ws)
    assert "Hooli,,,,,,,,,''=SUM(A1)" in exported
    assert (await _import(ws, exported)).unchanged == 1
    assert (await ws.say("/client hooli")).data["record"]["notes"] == "'=SUM(A1)"


async def test_semicolons_mean_a_decimal_comma_whatever_the_language(ws: Workspace) -> None:
    excel = "name;revenue;currency\nAcme Corp;1500,50;EUR\nGlobex;1.500,50;EUR\n"
    result = await _import(ws, excel)
    assert not result.errors, result.errors
    assert (await ws.say('/client "Acme Corp"')).data["record"]["revenue"] == "1500.50"
    assert (await ws.say("/client globex")).data["record"]["revenue"] == "1500.50"
    # With commas between cells, the amount is the workspace's notation or the plain one.
    plain = await _import(ws, 'name,revenue,currency\nInitech,"1,500.50",EUR\nHooli,12.5,EUR\n')
    assert not plain.errors, plain.errors
    assert (await ws.say("/client initech")).data["record"]["revenue"] == "1500.50"
    assert (await ws.say("/client hooli")).data["record"]["revenue"] == "12.50"


async def test_ten_thousand_lines_with_a_wrong_one_near_the_end(ws: Workspace) -> None:
    lines = [HEADER.strip()]
    for n in range(1, 10_001):
        segment = "great" if n == 9_990 else "ideal"
        lines.append(f"Client {n:05d},,{segment},gold,{n}.50,EUR,,cus_{n},org_{n},note {n}")
    result = await _import(ws, "\n".join(lines) + "\n", dry_run=True)
    assert (len(result.created), len(result.changed), result.unchanged) == (9_999, 0, 0)
    assert [(e.line, e.column) for e in result.errors] == [(9_991, "segment")]
    assert not result.written


async def test_an_owner_or_name_change_refreshes_an_open_escalation(ws: Workspace) -> None:
    await cross(ws)  # Acme Corp's escalation is open: the managers have a copy

    async def refreshes() -> int:
        export = await ws.say('/client export "Acme Corp"', as_user="maria")
        outbox = export.data["export"]["outbox"]
        return len([row for row in outbox if ":refresh:record:" in row["dedupe_key"]])

    await _import(ws, "name,tier\nAcme Corp,gold\n")
    assert await refreshes() == 0  # the copies do not show the tier
    await _import(ws, "name,owner\nAcme Corp,bob\n")
    assert await refreshes() == 1
    audit = await ws.say('/client export "Acme Corp"', as_user="maria")
    edited = [e for e in audit.data["export"]["audit"] if e["action"] == "client.edited"]
    assert edited[-1]["detail"]["changes"]["owner_id"]["after"] == "bob"
