"""Throwaway databases for tests: an SQLite file, and a fresh PostgreSQL database per run."""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.database import create_engine

POSTGRES_MISSING = (
    "PostgreSQL is not configured for tests: set TEST_DATABASE_URL "
    "(CI sets postgresql+asyncpg://postgres@127.0.0.1:5432/test)"
)


def postgres_url_or_skip() -> str:
    """TEST_DATABASE_URL, or skip naming the missing service (CI always sets it)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(POSTGRES_MISSING)
    return url


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create an empty database on the server of ``server_url``; drop it afterwards."""
    name = f"yellowcard_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(server_url)
    admin = server.execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await server.dispose()


def sqlite_url(folder: Path) -> str:
    """An SQLite database file in ``folder``."""
    return f"sqlite+aiosqlite:///{folder / 'yellowcard-test.db'}"
