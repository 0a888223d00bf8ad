"""The log's formatters write exceptions with their frames and types, never their messages."""

import logging
import sys

from bot.logs import TEXT_FORMAT, JsonLinesFormatter, TextFormatter

# Kept out of the raising lines: a traceback quotes its source lines.
TEXT = "the report said: you are useless"
NAME = "while filing for Zuzanna Quillfeather"


def _failed_record() -> logging.LogRecord:
    try:
        try:
            raise ValueError(TEXT)
        except ValueError as error:
            raise RuntimeError(NAME) from error
    except RuntimeError:
        return logging.LogRecord(
            "x", logging.ERROR, "f", 1, "filing failed for %s", ("U1",), sys.exc_info()
        )


def test_exceptions_are_written_without_their_messages_in_both_formats() -> None:
    record = _failed_record()
    # Another handler (a test's capture, say) formats it first and caches the messages.
    assert "useless" in logging.Formatter().format(record)
    for formatter in (TextFormatter(TEXT_FORMAT), JsonLinesFormatter()):
        written = formatter.format(record)
        assert "useless" not in written
        assert "Quillfeather" not in written
        assert "filing failed for U1" in written
        assert "Traceback (most recent call last)" in written
        assert "builtins.ValueError" in written
        assert "builtins.RuntimeError" in written
