"""Logging set-up: plain text for people, JSON lines for log collectors.

Exceptions are written without their messages (``traceback_without_messages``): a database
driver's message can quote a statement's values (a report's text, a person's name), and an
error raised while parsing quotes what was typed. Frames and types say where and what failed.
"""

import logging
import traceback
from types import TracebackType

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class _WithoutMessages(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Another handler may have cached the traceback with its messages on the record.
        record.exc_text = None
        return super().format(record)

    def formatException(self, ei: ExcInfo) -> str:  # noqa: N802 (logging's name)
        return traceback_without_messages(ei[1]).rstrip("\n") if ei[1] is not None else ""


class TextFormatter(_WithoutMessages):
    """Plain text lines; exceptions without their messages."""


class JsonLinesFormatter(_WithoutMessages, JsonFormatter):
    """JSON lines; exceptions without their messages."""


def configure_logging(level: str, fmt: str) -> None:
    """Send the process's logs to stderr at ``level`` in ``fmt`` (``text`` or ``json``)."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonLinesFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(TextFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def traceback_without_messages(error: BaseException) -> str:
    """``error``'s traceback, with the exceptions it came from, as Python prints it but with
    each exception's type (and a database's error code) in place of its message.

    Messages quote data: a database driver's can quote the statement's values (a report's
    text, a person's name), and an error raised while parsing quotes what was typed. The
    frames and types say where and what failed; the data stays out of the log.
    """
    # From the error back to the first exception; links[i] joins chain[i + 1] to chain[i].
    chain: list[BaseException] = []
    links: list[str] = []
    current: BaseException | None = error
    while current is not None and id(current) not in {id(seen) for seen in chain}:
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
            links.append(_CAUSE)
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
            links.append(_CONTEXT)
        else:
            current = None
    parts: list[str] = []
    # Oldest first, the way Python prints a chain.
    for index in reversed(range(len(chain))):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(chain[index].__traceback__))
        parts.append(_exception_type(chain[index]) + "\n")
        if index:
            parts.append(links[index - 1])
    return "".join(parts)


def _exception_type(error: BaseException) -> str:
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    # asyncpg's SQLSTATE and sqlite3's error name identify the failure without quoting data.
    code = getattr(error, "sqlstate", None) or getattr(error, "sqlite_errorname", None)
    return f"{name} ({code})" if isinstance(code, str) else name
