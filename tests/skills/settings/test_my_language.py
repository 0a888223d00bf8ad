"""``/client settings my-language``: each person's own language, over their platform's."""

from tests.support.scenarios import paragraph_text
from tests.support.workspace import Workspace


async def test_a_person_chooses_their_language_and_goes_back(workspace: Workspace) -> None:
    shown = await workspace.say("/client settings my-language", as_user="ana", locale="en-US")
    assert shown.data["my_language"] is None
    chosen = await workspace.say("/client settings my-language ja", as_user="ana", locale="en-US")
    assert chosen.data == {"my_language": "ja", "changed": True}
    assert "日本語" in paragraph_text(chosen)  # answered in the language just chosen
    help_text = await workspace.say("/client help", as_user="ana", locale="en-US")
    assert "Yellowcard のコマンド" in str(help_text)
    back = await workspace.say("/client settings my-language auto", as_user="ana", locale="en-US")
    assert back.data["my_language"] is None
    assert "Yellowcard commands" in str(await workspace.say("/client help", as_user="ana"))


async def test_the_choice_is_each_persons_own(workspace: Workspace) -> None:
    await workspace.say("/client settings my-language es", as_user="ana", locale="en-US")
    other = await workspace.say("/client help", as_user="maria", locale="en-US")
    assert "Yellowcard commands" in str(other)


async def test_an_unknown_language_is_explained(workspace: Workspace) -> None:
    refused = await workspace.say("/client settings my-language klingon", as_user="ana")
    assert refused.data["error"] == "unknown_language"
    assert "auto" in paragraph_text(refused)
