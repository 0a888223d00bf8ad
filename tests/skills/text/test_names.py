"""Client names match across case, accents, width and kana; near misses are suggested."""

import pytest

from skills.text.limits import CLIENT_NAME_LIMIT
from skills.text.names import SPELLING_LIMIT, normalize, query_key, suggest
from storage.models import Client


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


def test_only_the_beginning_of_a_long_query_is_compared() -> None:
    # A name after the first SPELLING_LIMIT characters is not looked for: the bound is what
    # keeps "did you mean" from reading all of a 40,000-character text for every client.
    assert suggest("x" * SPELLING_LIMIT + "Acme Corp", CANDIDATES) == []
    assert suggest("Acme Corp " * 4000, CANDIDATES)[0][1] == "Acme Corp"


def test_a_long_spelling_is_compared_by_its_beginning_too() -> None:
    long_alias = [(5, "Initech", ["Initech " + "and partners " * 100])]
    assert suggest("Initech", long_alias) == [(5, "Initech")]
    assert suggest("and partners", long_alias) == [(5, "Initech")]


def test_the_query_key_of_text_too_long_to_be_a_name_is_none() -> None:
    assert query_key("  Acme Corp  ") == "acmecorp"
    assert query_key("Acme Corp" + " " * SPELLING_LIMIT + "!") is None
    # Short, but its key is longer than any stored key: NFKD spells "㍿" as four letters.
    assert query_key("㍿" * (CLIENT_NAME_LIMIT // 4 + 1)) is None
    assert query_key("㍿" * (CLIENT_NAME_LIMIT // 4)) == "株式会社" * (CLIENT_NAME_LIMIT // 4)


def test_the_limit_is_the_size_of_the_columns() -> None:
    columns = Client.__table__.columns  # type: ignore[attr-defined]
    assert columns["name"].type.length == CLIENT_NAME_LIMIT
    assert columns["lookup_key"].type.length == CLIENT_NAME_LIMIT


@pytest.mark.parametrize(
    "text",
    [
        "".join(map(chr, range(128))),
        "Acme Corp., Ltd. (2024) - #1 in B2B!",
        "ACME\tCORP\n_under_score_",
    ],
)
def test_ascii_text_has_the_key_the_general_rules_give(text: str) -> None:
    # ASCII takes a shortcut; "é" sends the same text down the general path, adding an "e".
    assert normalize(text + "é") == normalize(text) + "e"
