"""Engine creation: one async engine per process, tuned for SQLite or PostgreSQL."""

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./yellowcard.db"


def is_sqlite(url: str) -> bool:
    """True when the URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


# Under a burst, work waits for a connection instead of failing after the default 30 seconds:
# a report queued behind others is late, never lost.
POOL_WAIT_SECONDS = 600
# SQLAlchemy puts a failed statement's values into its error message, and so into the log with
# the traceback: a report's text, a person's name. Hidden, the message keeps the SQL only.
HIDE_PARAMETERS = True
# aiosqlite logs every statement it runs with its values at debug level: with LOG_LEVEL=debug,
# every report's text and reporter's name would be in the log. Its warnings still get through.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


def create_engine(url: str) -> AsyncEngine:
    """Create the async engine for ``url``, creating an SQLite file's folder if needed."""
    if not is_sqlite(url):
        return create_async_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=POOL_WAIT_SECONDS,
            hide_parameters=HIDE_PARAMETERS,
        )
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # SQLite has one writer at a time and every transaction here writes (see on_begin), so one
    # connection and a queue in front of it beat several connections spinning on the lock.
    engine = create_async_engine(
        url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=POOL_WAIT_SECONDS,
        hide_parameters=HIDE_PARAMETERS,
    )
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL is safe against crashes of the process (a power cut can lose the
        # last commits, not corrupt the file) and saves an fsync per commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        # Take the write lock up front: a deferred transaction that reads, then writes, fails
        # with "database is locked" when another writer got there in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
