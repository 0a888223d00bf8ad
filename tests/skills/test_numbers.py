"""Numbers as people type them."""

from decimal import Decimal

import pytest
from babel import Locale

from skills.text.numbers import parse_amount, whole_number


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
