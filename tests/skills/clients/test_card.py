"""A client's card: the note when one person filed most of the active strikes."""

from tests.support.scenarios import cross, paragraph_text
from tests.support.workspace import Workspace


async def test_the_card_says_when_one_person_filed_most_strikes(workspace: Workspace) -> None:
    await cross(workspace)  # both strikes are Ana's
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert card.data["one_reporter"] is True
    assert "Ana filed 2 of the 2 active strikes from reports" in paragraph_text(card)
    # Staff see "a teammate" for each report, and so in the note too.
    staff = await workspace.say('/client "Acme Corp"', as_user="tom")
    assert "One teammate filed 2 of the 2 active strikes from reports" in paragraph_text(staff)
    assert "Ana" not in paragraph_text(staff)
    await workspace.say('/report-client "Acme Corp" scope_creep asked again', as_user="tom")
    await workspace.say('/report-client "Acme Corp" scope_creep and again', as_user="lee")
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert card.data["one_reporter"] is False
