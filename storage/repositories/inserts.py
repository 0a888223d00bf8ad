"""The ways a repository inserts a row that a unique constraint may refuse."""

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Executable, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


async def try_insert(session: AsyncSession, row: SQLModel) -> IntegrityError | None:
    """Insert ``row`` in a savepoint. None when it went in; the refusal when a constraint
    refused it (typically another request or replica wrote the same thing first), with the
    transaction still usable, for the caller to look the winner up or to raise."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError as refused:
        return refused
    return None


async def insert_returning_id(
    session: AsyncSession, row: SQLModel, *, unless_taken: tuple[str, ...] = ()
) -> int | None:
    """Insert ``row`` in one statement (no savepoint, no flush of the session) and return its
    new id; None when the unique columns ``unless_taken`` already hold its values (nothing is
    written then). ``row`` stays outside the session: for hot paths that only need the id."""
    connection = await session.connection()
    table: Table = row.__table__  # type: ignore[attr-defined]
    statement = _insert_statement(connection.dialect.name, table, unless_taken)
    values = {column.key: getattr(row, column.key) for column in table.columns}
    del values["id"]
    found = (await connection.execute(statement, values)).scalar()
    return None if found is None else int(found)


async def insert_many_returning(
    session: AsyncSession,
    rows: Sequence[SQLModel],
    *,
    unless_taken: tuple[str, ...],
    returning: str,
) -> list[object]:
    """Insert ``rows`` (of one table) as one batch, without the session, and return the
    ``returning`` column of each row that went in; a row whose ``unless_taken`` columns hold
    values already stored, or those of an earlier row of ``rows``, is left out."""
    if not rows:
        return []
    connection = await session.connection()
    table: Table = rows[0].__table__  # type: ignore[attr-defined]
    statement = _insert_statement(connection.dialect.name, table, unless_taken, returning)
    values = [
        {column.key: getattr(row, column.key) for column in table.columns if column.key != "id"}
        for row in rows
    ]
    # Several rows make SQLAlchemy's "insertmanyvalues": a multi-row INSERT per batch of rows,
    # RETURNING included, on both databases.
    return list((await connection.execute(statement, values)).scalars())


@cache
def _insert_statement(
    dialect: str, table: Table, unless_taken: tuple[str, ...], returning: str = "id"
) -> Executable:
    """The insert of ``table``'s rows, built once per table (its values are bound when it
    runs): building it took about as long as running it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    if unless_taken:
        statement = statement.on_conflict_do_nothing(index_elements=list(unless_taken))
    return statement.returning(table.c[returning])
