"""The tenant's clients as CSV (``yellowcard clients export``), in the import's format: what
it writes, the import reads back without a change (docs/clients.md)."""

import csv
import io

from skills.clients.csv_import import CSV_COLUMNS, FORMULA_STARTS
from skills.clients.record_fields import ATTRIBUTES, key_of
from skills.core.scope import Scope
from storage.models import Client


async def export_clients(scope: Scope) -> str:
    """Every client of the tenant, one line each by name, under the import's header."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for client in await scope.uow.clients.every(scope.tenant.id):
        writer.writerow([_safe(_cell(client, column)) for column in CSV_COLUMNS])
    await scope.audit("clients.exported", source="csv")
    await scope.uow.commit()
    return out.getvalue()


def _cell(client: Client, column: str) -> str:
    if column == "name":
        return client.name
    value = getattr(client, ATTRIBUTES[key_of(column)])
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, quoted with ``'`` (the import removes it);
    a value already so quoted gets one more, so the import gives it back as it was."""
    return f"'{cell}" if cell.lstrip("'").startswith(FORMULA_STARTS) else cell
