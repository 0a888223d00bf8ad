"""Clients loaded from a CSV file (``yellowcard clients import``): text in, a plan and its
result out; the command line only reads the file and prints the lines.

The header names the columns (``CSV_COLUMNS``, any order; ``name`` is needed). The file is
UTF-8 with or without a byte-order mark; the delimiter is a comma, or Excel's semicolon, read
off the header line. Each line finds its client by ``billing_id``, then ``helpdesk_id``, then
its name as ``/client`` looks names up (other names too); else it creates one. An empty cell
leaves that field as it is. Values are checked by ``skills.clients.record_fields``, the rules
of ``/client add``. Nothing is written unless every line is right (or ``skip_invalid``); one
audit event per client created or changed, as in chat (docs/clients.md).
"""

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from skills.clients.lookup import name_error
from skills.clients.record_fields import (
    ATTRIBUTES,
    NAME_KEY,
    RecordChange,
    apply_changes,
    check_fields,
    conflicts,
    record_changes,
    rename,
    revenue_without_currency,
)
from skills.core.scope import Scope
from skills.strikes.policy import ClientState
from skills.text.i18n import Translator
from skills.text.names import normalize
from storage.models import Client

CSV_COLUMNS = (
    "name", "aliases", "segment", "tier", "revenue", "currency", "owner", "billing_id",
    "helpdesk_id", "notes",
)  # fmt: skip
# Rows written per flush: few round trips, bounded memory per statement.
BATCH = 1000
BOM = "\ufeff"
# A spreadsheet runs a cell starting with these as a formula; the export quotes them with "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel writes ";" between cells where a comma is the decimal mark: amounts in such a file are
# read that way ("1.500,50"), whatever the workspace's language.
COMMA_DECIMAL = Locale("de")
# The ids an import sets on a client that has none, but never replaces (/client edit does).
EXTERNAL_IDS = ("billing_id", "helpdesk_id")


@dataclass(frozen=True)
class LineError:
    """What is wrong with one cell (line 1 is the header)."""

    line: int
    column: str
    message: str


@dataclass(frozen=True)
class LinePlan:
    """A line that creates or changes a client: its name and each field's before and after."""

    line: int
    name: str
    changes: dict[str, dict[str, Any]]


@dataclass
class ImportResult:
    """What the import did, or (a dry run, or errors) would do."""

    created: list[LinePlan] = field(default_factory=list)
    changed: list[LinePlan] = field(default_factory=list)
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    written: bool = False


@dataclass
class _Book:
    """The tenant's clients, found by each way a line can name one."""

    by_billing: dict[str, Client] = field(default_factory=dict)
    by_helpdesk: dict[str, Client] = field(default_factory=dict)
    by_key: dict[str, Client] = field(default_factory=dict)
    # The line that named each client first (by the object: a new one has no id yet); a
    # second line for the same client is an error.
    line_of: dict[int, int] = field(default_factory=dict)

    def add(self, client: Client) -> None:
        """Find the client by its name, other names and ids as they are now."""
        for alias in client.aliases:
            self.by_key.setdefault(normalize(alias), client)
        self.by_key[client.lookup_key] = client
        if client.billing_id:
            self.by_billing[client.billing_id] = client
        if client.helpdesk_id:
            self.by_helpdesk[client.helpdesk_id] = client

    async def find(self, attribute: str, value: str) -> Client | None:
        """The client with this id or name (``record_fields.Lookup``), as the file has it
        so far."""
        if attribute == NAME_KEY:
            return self.by_key.get(normalize(value))
        return (self.by_billing if attribute == "billing_id" else self.by_helpdesk).get(value)

    def remove(self, client: Client) -> None:
        """Forget the client's name, other names and ids: a later line may take them once a
        line changed them."""
        for keys, key in (
            *((self.by_key, normalize(alias)) for alias in client.aliases),
            (self.by_key, client.lookup_key),
            (self.by_billing, client.billing_id),
            (self.by_helpdesk, client.helpdesk_id),
        ):
            if key and keys.get(key) is client:
                del keys[key]


async def import_clients(
    scope: Scope, text: str, *, dry_run: bool = False, skip_invalid: bool = False
) -> ImportResult:
    """Check every line of the CSV ``text`` against the tenant's clients, then write the
    creations and changes in batches unless it is a dry run, or a line is wrong and
    ``skip_invalid`` is not set."""
    t = scope.t
    result = ImportResult()
    rows, delimiter = _rows(t, text, result)
    locale = COMMA_DECIMAL if delimiter == ";" else None
    if result.errors:
        return result  # the header is wrong: no line can be read
    book = _Book()
    for client in await scope.uow.clients.every(scope.tenant.id):
        book.add(client)
    new: list[Client] = []
    touched: list[tuple[Client, LinePlan, bool]] = []
    for line, cells in rows:
        planned = await _plan_line(scope, book, line, cells, result, locale)
        if planned is None:
            continue
        client, plan, created = planned
        if created:
            new.append(client)
            result.created.append(plan)
        elif plan.changes:
            result.changed.append(plan)
        else:
            result.unchanged += 1
        if created or plan.changes:
            touched.append((client, plan, created))
    if dry_run or (result.errors and not skip_invalid):
        return result
    # Names are unique: renames are written one by one in the file's order, before any
    # insert, as a later line may take the name an earlier one freed.
    renamed = [
        (client, plan.changes["name"])
        for client, plan, created in touched
        if not created and "name" in plan.changes
    ]
    for client, name in renamed:
        rename(client, name["before"])
    for client, _plan, created in touched:
        if not created:
            await scope.uow.clients.save(client)
    for client, name in renamed:
        rename(client, name["after"])
        await scope.uow.clients.save_now(client)
    for start in range(0, len(new), BATCH):
        await scope.uow.clients.add_many(new[start : start + BATCH])
    await record_changes(
        scope,
        [RecordChange(client, plan.changes, created) for client, plan, created in touched],
        source="import",
    )
    await scope.uow.commit()
    result.written = True
    return result


def result_lines(t: Translator, result: ImportResult, *, dry_run: bool) -> list[str]:
    """The import's result as lines of text: each error, each creation and change (a dry
    run's as what would happen), then the counts."""
    lines = [
        t._("line {line}, column {column}: {error}", line=e.line, column=e.column, error=e.message)
        for e in result.errors
    ]
    if dry_run:
        for plan in result.created:
            lines.append(
                t._("line {line}: would create {client}", line=plan.line, client=t.quote(plan.name))
            )
        for plan in result.changed:
            fields = ", ".join(
                f"{name}: {_shown(change['before'])} → {_shown(change['after'])}"
                for name, change in plan.changes.items()
            )
            lines.append(
                t._(
                    "line {line}: would change {client} ({fields})",
                    line=plan.line,
                    client=t.quote(plan.name),
                    fields=fields,
                )
            )
    counts = {
        "created": len(result.created),
        "changed": len(result.changed),
        "unchanged": result.unchanged,
        "invalid": len({error.line for error in result.errors}),
    }
    if result.written:
        # "Label: number" reads right for 1 and for many in every language, with no plurals.
        summary = t._(
            "Imported. Created: {created}, changed: {changed}, unchanged: {unchanged}, lines "
            "skipped: {invalid}.",
            **counts,
        )
    elif dry_run:
        summary = t._(
            "Dry run, nothing written. To create: {created}, to change: {changed}, unchanged: "
            "{unchanged}, wrong lines: {invalid}.",
            **counts,
        )
    else:
        summary = t.n_(
            "Nothing written: {count} line is wrong. Correct it, or import the others with "
            "--skip-invalid.",
            "Nothing written: {count} lines are wrong. Correct them, or import the others with "
            "--skip-invalid.",
            counts["invalid"],
        )
    lines.append(summary)
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return "—" if value is None else str(value)


def _rows(
    t: Translator, text: str, result: ImportResult
) -> tuple[Iterator[tuple[int, dict[str, str]]], str]:
    """Each line after the header as ``column → cell``, with its line number, and the
    delimiter; an error in ``result`` (and no lines) when the header is wrong."""
    text = text.removeprefix(BOM)
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "name" not in header:
        result.errors.append(LineError(1, "name", t._("The header needs a name column.")))
    for column in header:
        if column not in CSV_COLUMNS or header.count(column) > 1:
            result.errors.append(
                LineError(
                    1,
                    column,
                    t._(
                        "Not a column of the import, or given twice. The columns are {columns}.",
                        columns=",".join(CSV_COLUMNS),
                    ),
                )
            )
    if result.errors:
        return iter(()), delimiter
    return _lines(t, reader, header, result), delimiter


def _lines(
    t: Translator, reader: Any, header: list[str], result: ImportResult
) -> Iterator[tuple[int, dict[str, str]]]:
    ended = reader.line_num
    for cells in reader:
        line, ended = ended + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # an empty line, as spreadsheets leave at the end
        if len(cells) > len(header):
            message = t.n_(
                "The line has {cells} cells; the header has {count} column.",
                "The line has {cells} cells; the header has {count} columns.",
                len(header),
                cells=len(cells),
            )
            result.errors.append(LineError(line, str(len(header) + 1), message))
            continue
        yield line, {column: _unquoted(cell) for column, cell in zip(header, cells, strict=False)}


def _unquoted(cell: str) -> str:
    """The cell without the ``'`` the export put before what a spreadsheet reads as a formula
    (``csv_export`` quotes a value that is itself so quoted once more)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


async def _plan_line(
    scope: Scope,
    book: _Book,
    line: int,
    cells: dict[str, str],
    result: ImportResult,
    locale: Locale | None,
) -> tuple[Client, LinePlan, bool] | None:
    """The client a line names, changed as the line says (in memory); None when the line is
    wrong (its errors added to ``result``)."""
    t = scope.t
    errors: list[LineError] = []
    name = cells.get("name", "").strip()
    billing = cells.get("billing_id", "").strip()
    helpdesk = cells.get("helpdesk_id", "").strip()
    by_id = book.by_billing.get(billing) if billing else None
    by_id = by_id or (book.by_helpdesk.get(helpdesk) if helpdesk else None)
    client = by_id or (book.by_key.get(normalize(name)) if name else None)
    if client is None and not name:
        errors.append(LineError(line, "name", t._("A new client needs a name.")))
    elif name and (wrong := name_error(t, name)):
        errors.append(LineError(line, "name", wrong))
    if client is not None and id(client) in book.line_of:
        first = book.line_of[id(client)]
        errors.append(LineError(line, "name", t._("The same client as line {line}.", line=first)))
    given = {column: cell for column, cell in cells.items() if column != "name" and cell.strip()}
    checked = check_fields(t, scope.tenant.platform, given, locale=locale)
    errors += [
        LineError(line, key.replace("-", "_"), error) for key, error in checked.errors.items()
    ]
    if client is not None:
        errors += _replaced_ids(t, line, client, checked.changes)
    target = client or Client(
        tenant_id=scope.tenant.id,
        name=name,
        lookup_key=normalize(name),
        # Given, not left to their default factories: pydantic inspects a factory's signature
        # on every instance it builds, which took half of a 10,000-line import's time.
        aliases=[],
        external_org_ids=[],
        state=ClientState.OK.value,
        state_changed_at=scope.now,
        created_at=scope.now,
        created_by=scope.actor.user_id,
    )
    taken = await conflicts(t, target, checked.changes, book.find, new_name=name if by_id else None)
    errors += [LineError(line, column, message) for column, message in taken.items()]
    if errors:
        result.errors += errors
        return None
    # Kept to be put back: a line found wrong only once changed must leave no trace.
    before = {
        attribute: getattr(target, attribute)
        for attribute in (*ATTRIBUTES.values(), "name", "lookup_key")
    }
    book.remove(target)
    changes = apply_changes(target, checked.changes)
    if by_id is not None and name and name != target.name:
        changes |= rename(target, name)
    if wrong := revenue_without_currency(t, target):
        for attribute, value in before.items():
            setattr(target, attribute, value)
        if client is not None:
            book.add(target)
        result.errors.append(LineError(line, "currency", wrong))
        return None
    changes.pop("lookup_key", None)  # the name's shadow: the name's change says it
    book.add(target)
    book.line_of[id(target)] = line
    return target, LinePlan(line, target.name, changes), client is None


def _replaced_ids(
    t: Translator, line: int, client: Client, changes: Mapping[str, Any]
) -> list[LineError]:
    """A billing or help desk id the line would put in place of the client's own: an import
    never replaces one (a line with a mistyped id would move the client's signals)."""
    errors = []
    for column in EXTERNAL_IDS:
        current, given = getattr(client, column), changes.get(column)
        if current and given and given != current:
            values = {"client": t.quote(client.name), "id": t.quote(current)}
            if column == "billing_id":
                message = t._(
                    "{client} has the billing id {id}: change it with /client edit.", **values
                )
            else:
                message = t._(
                    "{client} has the help desk id {id}: change it with /client edit.", **values
                )
            errors.append(LineError(line, column, message))
    return errors
