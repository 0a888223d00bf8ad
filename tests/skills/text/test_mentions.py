"""People and channels named in command text, as chat platforms escape them."""

import pytest

from skills.text.mentions import channel_ids, people_ids, person_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<@U123|ana>", "U123"), ("<@U123>", "U123"), ("@ana", "ana"), (" U9 ", "U9")],
)
def test_person_id(text: str, expected: str) -> None:
    assert person_id(text) == expected


def test_people_and_channels_in_a_line() -> None:
    assert people_ids("<@U1|ana><@U2> @bob") == ["U1", "U2", "bob"]
    assert channel_ids("<#C1|support> #general <#G2>") == ["C1", "general", "G2"]
