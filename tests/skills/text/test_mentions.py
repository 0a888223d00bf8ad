"""People and channels named in command text, as chat platforms escape them."""

import pytest

from skills.text.input import clean_text
from skills.text.mentions import (
    channel_ids,
    draw_mentions,
    is_person_id,
    mention,
    mentioned_ids,
    people_ids,
    person_id,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<@U123|ana>", "U123"), ("<@U123>", "U123"), ("@ana", "ana"), (" U9 ", "U9")],
)
def test_person_id(text: str, expected: str) -> None:
    assert person_id(text) == expected


def test_people_and_channels_in_a_line() -> None:
    assert people_ids("<@U1|ana><@U2> @bob") == ["U1", "U2", "bob"]
    assert channel_ids("<#C1|support> #general <#G2>") == ["C1", "general", "G2"]


def test_a_reply_names_people_for_each_surface_to_draw() -> None:
    text = f"Ask {mention('U1')} or {mention('U2')}, not {mention('U1')} twice."
    assert mentioned_ids(text) == ["U1", "U2"]
    assert draw_mentions(text, lambda person: f"<@{person}>") == (
        "Ask <@U1> or <@U2>, not <@U1> twice."
    )
    assert draw_mentions("no one", lambda person: "?") == "no one"
    # What people type never carries one.
    assert mentioned_ids(clean_text(text)) == []


@pytest.mark.parametrize(
    ("platform", "text", "expected"),
    [
        ("slack", "U0123ABC", True),
        ("slack", "W0123", True),
        ("slack", "ana", False),
        ("teams", "87d349ed-44d7-43e1-9a83-5f2406dee5bd", True),
        ("teams", "Ana", False),
        ("teams", "<at>Ana</at>", False),
        ("local", "ana", True),
    ],
)
def test_a_persons_id_on_each_platform(platform: str, text: str, expected: bool) -> None:
    assert is_person_id(platform, text) is expected
