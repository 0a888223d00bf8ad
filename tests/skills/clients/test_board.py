"""The risk board: clients ordered by risk."""

from tests.support.scenarios import cross, new_client
from tests.support.workspace import Workspace


async def test_board_orders_by_risk(workspace: Workspace) -> None:
    await cross(workspace)
    await new_client(workspace, "Globex")
    await workspace.say("/report-client Globex unresponsive missed onboarding")
    await new_client(workspace, "Initech")
    board = await workspace.say("/client list")
    assert [row["name"] for row in board.data["clients"]] == ["Acme Corp", "Globex", "Initech"]
    assert [row["state"] for row in board.data["clients"]] == ["threshold", "watch", "ok"]
