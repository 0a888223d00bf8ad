"""The one way a repository inserts a row that a unique constraint may refuse."""

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
