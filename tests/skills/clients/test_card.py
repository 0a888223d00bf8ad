"""A client's card: the note when one person filed most of the active strikes."""

from skills.commands import ShowHistory
from skills.replies import Actions, ReplyKind
from tests.support.scenarios import cross, new_client, paragraph_text
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


async def test_a_mistyped_subcommand_offers_the_command_meant(workspace: Workspace) -> None:
    await new_client(workspace)
    reply = await workspace.say("/client hisotry Acme Corp")
    assert reply.data["meant"] == "/client history Acme Corp"
    [run] = [
        button
        for block in reply.blocks
        if isinstance(block, Actions)
        for button in block.buttons
        if "history" in button.label
    ]
    assert run.command == ShowHistory("Acme Corp")
    history = await workspace.run(run.command)
    assert history.kind is not ReplyKind.ERROR


async def test_a_client_named_like_a_slip_is_still_shown(workspace: Workspace) -> None:
    await new_client(workspace, "Hisotry Labs")
    card = await workspace.say("/client Hisotry Labs")
    assert "meant" not in card.data
    assert card.kind is not ReplyKind.ERROR
