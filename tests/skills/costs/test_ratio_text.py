"""A ratio in words, as the card, the board and the summary write it: never "1×" unless the
cost is exactly what the client pays."""

from decimal import Decimal

import pytest

from skills.costs.text import ratio_text, times_text
from skills.text.i18n import translator


@pytest.mark.parametrize(
    ("ratio", "times"),
    [
        ("2.34", "2.3×"),
        ("1", "1×"),
        ("1.04", "1.04×"),
        ("1.001", "1.01×"),
        ("0.999", "0.99×"),
        ("0.96", "0.96×"),
        ("0.94", "0.9×"),
    ],
)
def test_a_ratio_near_1_is_written_to_the_hundredth(ratio: str, times: str) -> None:
    assert times_text(translator("en"), Decimal(ratio)) == times


def test_a_client_costing_a_little_more_never_reads_as_1() -> None:
    t = translator("en")
    assert ratio_text(t, Decimal("1.001")) == "costs 1.01× what it pays"
    assert ratio_text(t, Decimal("1.3")) == "costs 1.3× what it pays"
    assert ratio_text(t, Decimal("0.4")) == "costs 40% of what it pays"
