"""Client names match across case, accents, width and kana; near misses are suggested."""

import pytest

from skills.names import normalize, suggest


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Acme Corp", "acme corp"),
        ("Acme Corp", "ＡＣＭＥ　ＣＯＲＰ"),
        ("Acme Corp", "Acme-Corp."),
        ("Café Olé", "CAFE OLE"),
        ("Müller GmbH", "muller gmbh"),
        ("アクメ", "あくめ"),
        ("ｱｸﾒ", "アクメ"),
        ("ガス会社", "ｶﾞｽ会社"),
        ("台積電", "台積電 "),
    ],
)
def test_same_key(one: str, other: str) -> None:
    assert normalize(one) == normalize(other)


@pytest.mark.parametrize(("one", "other"), [("ガス", "カス"), ("Acme", "Acne"), ("台積電", "台積")])
def test_different_key(one: str, other: str) -> None:
    assert normalize(one) != normalize(other)


CANDIDATES = [
    (1, "Acme Corp", []),
    (2, "Globex", ["Globex Japan"]),
    (3, "株式会社アクメ", []),
    (4, "台灣積體電路", ["台積電"]),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Acme Crop", "Acme Corp"),
        ("Acme", "Acme Corp"),
        ("Globex Japn", "Globex"),
        ("アクメ", "株式会社アクメ"),
        ("台積", "台灣積體電路"),
    ],
)
def test_suggestions(query: str, expected: str) -> None:
    assert suggest(query, CANDIDATES)[0][1] == expected


def test_nothing_close_suggests_nothing() -> None:
    assert suggest("Initech", CANDIDATES) == []
    assert suggest("!!!", CANDIDATES) == []
