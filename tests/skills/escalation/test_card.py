"""The managers' ping: what happened behind each strike, how the strikes stand, a strike's
dispute answered from it, and what a staff-safety ping offers about the account."""

from skills.commands import ChangeOwner, ReportIncident
from skills.core.scope import open_scope
from skills.escalation.card import escalation_card
from skills.replies import Actions, Button, Facts, Paragraph, Reply
from tests.support.scenarios import cross, new_client
from tests.support.workspace import Workspace


async def _ping(ws: Workspace, locale: str = "en") -> Reply:
    async with open_scope(ws.services, ws.person("maria", locale=locale)) as scope:
        [escalation] = await scope.uow.escalations.open_in_tenant(scope.tenant.id)
        return await escalation_card(scope, escalation, reminder=False)


def _buttons(reply: Reply) -> list[Button]:
    return [b for block in reply.blocks if isinstance(block, Actions) for b in block.buttons]


def _text(reply: Reply) -> str:
    return "\n".join(block.text for block in reply.blocks if isinstance(block, Paragraph))


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }


async def test_the_ping_offers_dispute_answers_to_managers(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    await workspace.say(f"/client dispute {first} our mistake", as_user="ana")
    labels = [button.label for button in _buttons(await _ping(workspace))]
    assert labels[:2] == ["Keep the strike", "Void the strike"]
    assert "Clear the strikes" in labels


async def test_the_ping_shows_the_details_and_the_quoted_message(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" scope_creep a third dashboard for free')
    await workspace.run(
        ReportIncident(
            "Acme Corp",
            "moving_goalposts",
            "Changed the brief after sign-off",
            evidence_link="https://example.slack.com/archives/C1/p2",
            evidence_text="forget what we agreed, we need it mobile-first",
            evidence_author="Bob Client",
            evidence_written_at="2026-03-01T14:03",
        )
    )
    ping = await _ping(workspace)
    text = _text(ping)
    assert "Details: a third dashboard for free" in text
    assert "Details: Changed the brief after sign-off" in text
    assert "Evidence: “forget what we agreed, we need it mobile-first”" in text
    assert "written by Bob Client, Mar 1, 2026, 2:03" in text
    assert "https://example.slack.com/archives/C1/p2" in text
    assert _facts(ping)["Active strikes"] == "2 of 2"
    assert not [b for b in _buttons(ping) if b.label.startswith("Read report")]


async def test_a_straight_red_ping_explains_the_count(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" abuse called Ana names on the phone')
    ping = await _ping(workspace)
    assert _facts(ping)["Active strikes"] == (
        "1 red card (a red card puts a client over the threshold on its own)"
    )
    japanese = await _ping(workspace, locale="ja")
    assert "レッドカード" in _facts(japanese)["有効な警告"]


async def test_a_safety_ping_with_no_owner_offers_to_name_one(workspace: Workspace) -> None:
    await new_client(workspace)
    await workspace.say('/report-client "Acme Corp" abuse called Ana names on the phone')
    buttons = {button.label: button.command for button in _buttons(await _ping(workspace))}
    assert "Move Ana off the account" not in buttons
    assert isinstance(buttons["Name an account owner"], ChangeOwner)


async def test_a_safety_ping_offers_to_move_the_reporter_who_owns_the_account(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    await workspace.say('/report-client "Acme Corp" threat said he would sue Ana')
    labels = [button.label for button in _buttons(await _ping(workspace))]
    assert "Move Ana off the account" in labels
    assert "Name an account owner" not in labels


async def test_a_safety_ping_offers_no_move_when_someone_else_owns_the_account(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    await workspace.say('/client owner "Acme Corp" tom', as_user="maria")
    await workspace.say('/report-client "Acme Corp" abuse called Ana names on the phone')
    labels = [button.label for button in _buttons(await _ping(workspace))]
    assert not [label for label in labels if "account" in label]
