"""Slack's escaped command text back to what the person typed."""

from bot.slack.text import typed_text


def test_slack_escaping_is_undone_but_ids_stay() -> None:
    escaped = "Acme scope_creep see <https://x.example/a?b=1&amp;c=2|x.example> &lt;3 <@U1|ana>"
    assert typed_text(escaped) == "Acme scope_creep see https://x.example/a?b=1&c=2 <3 <@U1|ana>"
