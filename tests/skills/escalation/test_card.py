"""The managers' ping: a strike's dispute can be answered from it."""

from skills.core.scope import open_scope
from skills.escalation.card import escalation_card
from skills.replies import Actions
from tests.support.scenarios import cross
from tests.support.workspace import Workspace


async def test_the_ping_offers_dispute_answers_to_managers(workspace: Workspace) -> None:
    first, _second = await cross(workspace)
    await workspace.say('/client owner "Acme Corp" ana', as_user="maria")
    await workspace.say(f"/client dispute {first} our mistake", as_user="ana")
    async with open_scope(workspace.services, workspace.person("maria")) as scope:
        [escalation] = await scope.uow.escalations.open_in_tenant(scope.tenant.id)
        card = await escalation_card(scope, escalation, reminder=False)
    labels = [b.label for block in card.blocks if isinstance(block, Actions) for b in block.buttons]
    assert labels[:2] == ["Keep the strike", "Void the strike"]
    assert "Clear the strikes" in labels
