"""Help in the person's language, and for commands not understood."""

from tests.support.workspace import Workspace


async def test_help_in_each_language(workspace: Workspace) -> None:
    headings = set()
    for locale in ("en", "es", "ja", "zh-TW"):
        reply = await workspace.say("/client help", locale=locale)
        headings.add(reply.blocks[0].text)  # type: ignore[union-attr]
    assert len(headings) == 4


async def test_unknown_command_answers_with_help(workspace: Workspace) -> None:
    # In the shell there is no channel to link: said plainly.
    reply = await workspace.say("/client link Acme")
    assert reply.data["error"] == "no_channel"
    reply = await workspace.say("/clients")
    assert reply.data["error"] == "unknown_command"
