"""Long text split into pieces a surface shows whole, broken where a reader would break it."""

from skills.text.limits import split


def test_short_text_is_one_piece() -> None:
    assert split("short", 10) == ["short"]
    assert split("", 10) == [""]


def test_text_breaks_after_a_line_then_a_word_then_anywhere() -> None:
    assert split("one two three\nfour five", 16) == ["one two three", "four five"]
    assert split("aaaa bbbb cccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    japanese = "あ" * 25
    assert split(japanese, 10) == ["あ" * 10, "あ" * 10, "あ" * 5]


def test_nothing_is_lost_and_no_piece_is_too_long() -> None:
    text = "".join(f"line {number} of a long quote\n" for number in range(500))
    pieces = split(text, 1800)
    assert all(len(piece) <= 1800 for piece in pieces)
    assert "\n".join(pieces) == text
