"""Numbers as people type them."""

from decimal import Decimal

import pytest
from babel import Locale

from skills.replies import ReplyKind
from skills.text.numbers import parse_amount, whole_number
from tests.support.workspace import Workspace


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1200", "en", Decimal(1200)),
        ("1,200.50", "en", Decimal("1200.50")),
        ("7.5", "en", Decimal("7.5")),
        ("7,5", "en", None),
        ("1.200,50", "es", Decimal("1200.50")),
        ("7,5", "es", Decimal("7.5")),
        ("7.5", "es", Decimal("7.5")),
        ("1 200", "es", Decimal(1200)),
        ("lots", "en", None),
        ("NaN", "en", None),
        ("Infinity", "ja", None),
    ],
)
def test_parse_amount(text: str, locale: str, expected: Decimal | None) -> None:
    assert parse_amount(text, Locale.parse(locale)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 3 ", 3), ("²", None), ("-1", None), ("99999999999", None), ("", None)],
)
def test_whole_number(text: str, expected: int | None) -> None:
    assert whole_number(text) == expected


async def test_unicode_digits_are_not_numbers(workspace: Workspace) -> None:
    board = await workspace.say("/client list ²")
    assert board.data["page"] == 1
    void = await workspace.say("/client void ² typo", as_user="maria")
    assert "incident_id" in void.data["errors"]
    setting = await workspace.say("/client settings threshold ²", as_user="maria")
    assert setting.kind is ReplyKind.ERROR
