"""A client's card: what happened behind each strike, how the strikes stand against the
threshold, and the note when one person filed most of them."""

from skills.commands import ReportIncident, ShowHistory
from skills.replies import Actions, Facts, Reply, ReplyKind
from skills.text.limits import PREVIEW_LIMIT
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


async def test_the_card_shows_what_happened_behind_each_strike(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.run(
        ReportIncident(
            "Acme Corp",
            "scope_creep",
            "Asked for a third dashboard at no cost",
            evidence_link="https://example.slack.com/archives/C1/p1",
            evidence_text="just add it, it's tiny",
            evidence_author="Bob Client",
            evidence_written_at="2026-03-01T14:03",
        )
    )
    for person, reporter in (("maria", "by Ana"), ("tom", "by a teammate")):
        card = await workspace.say('/client "Acme Corp"', as_user=person)
        text = paragraph_text(card)
        assert "Details: Asked for a third dashboard at no cost" in text
        assert "Evidence: “just add it, it's tiny”" in text
        assert "written by Bob Client, Mar 1, 2026, 2:03" in text
        assert "https://example.slack.com/archives/C1/p1" in text
        assert reporter in text
    # Nothing was cut, so there is nothing more to see.
    assert not [b for block in card.blocks if isinstance(block, Actions) for b in block.buttons]


async def test_a_long_report_is_cut_on_the_card_with_a_button_to_all_of_it(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    details = "They asked for one more thing. " * 30
    filed = await workspace.run(
        ReportIncident("Acme Corp", "scope_creep", details, evidence_text="x" * 1000)
    )
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    text = paragraph_text(card)
    assert details.strip() not in text
    assert f"Details: {details[: PREVIEW_LIMIT - 1]}…" in text
    assert f"“{'x' * (PREVIEW_LIMIT - 1)}…”" in text
    [button] = [b for block in card.blocks if isinstance(block, Actions) for b in block.buttons]
    assert button.label == f"Read report #{filed.data['incident_id']} in full"
    whole = await workspace.run(button.command, as_user="maria")
    assert details.strip() in paragraph_text(whole)
    assert "x" * 1000 in paragraph_text(whole)


async def test_a_red_card_explains_why_one_strike_is_over_the_threshold(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" abuse shouted at Ana on the phone')
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    facts = _facts(card)
    assert facts["State"] == "Over the threshold"
    assert facts["Active strikes"] == (
        "1 red card (a red card puts a client over the threshold on its own)"
    )
    await workspace.say('/report-client "Acme Corp" scope_creep and wants more')
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert _facts(card)["Active strikes"] == (
        "2, including 1 red card (a red card puts a client over the threshold on its own)"
    )
    spanish = await workspace.say('/client "Acme Corp"', as_user="maria", locale="es")
    assert "tarjeta roja" in _facts(spanish)["Faltas activas"]


async def test_two_yellow_cards_are_counted_against_the_threshold(workspace: Workspace) -> None:
    await cross(workspace)
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    assert _facts(card)["State"] == "Over the threshold"
    assert _facts(card)["Active strikes"] == "2 of 2"


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }
