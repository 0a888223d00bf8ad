"""The risk board: clients ordered by risk."""

from tests.support.factories import client_row
from tests.support.scenarios import cross, new_client, paragraph_text
from tests.support.workspace import Workspace


async def test_board_orders_by_risk(workspace: Workspace) -> None:
    await cross(workspace)
    await new_client(workspace, "Globex")
    await workspace.say("/report-client Globex unresponsive missed onboarding")
    await new_client(workspace, "Initech")
    board = await workspace.say("/client list")
    assert [row["name"] for row in board.data["clients"]] == ["Acme Corp", "Globex", "Initech"]
    assert [row["state"] for row in board.data["clients"]] == ["threshold", "watch", "ok"]


async def _clients(ws: Workspace, count: int) -> None:
    """``count`` clients without strikes, "Client 01" onwards, stored at once."""
    async with ws.services.unit_of_work() as uow:
        for number in range(1, count + 1):
            name = f"Client {number:02d}"
            await uow.clients.add(
                client_row(
                    ws.tenant_id, name=name, lookup_key=name.lower(), created_at=ws.clock.now
                )
            )
        await uow.commit()


async def test_board_pages_in_the_risk_order(workspace: Workspace) -> None:
    await cross(workspace)
    await _clients(workspace, 44)

    first = await workspace.say("/client list")
    assert (first.data["page"], first.data["pages"]) == (1, 3)
    names = [row["name"] for row in first.data["clients"]]
    # The client over the threshold first; the others tie on risk and go by name.
    assert names == ["Acme Corp", *(f"Client {number:02d}" for number in range(1, 20))]
    assert "Page 1 of 3" in paragraph_text(first)

    second = await workspace.say("/client list 2")
    assert second.data["page"] == 2
    assert [row["name"] for row in second.data["clients"]] == [
        f"Client {number:02d}" for number in range(20, 40)
    ]
    # Numbered on from the first page.
    assert paragraph_text(second).startswith("21. Client 20 — ")

    last = await workspace.say("/client list 3")
    assert [row["name"] for row in last.data["clients"]] == [
        f"Client {number:02d}" for number in range(40, 45)
    ]
    beyond = await workspace.say("/client list 9")
    assert beyond.data["page"] == 3
    assert beyond.data["clients"] == last.data["clients"]


async def test_board_of_a_tenant_without_clients(workspace: Workspace) -> None:
    board = await workspace.say("/client list")
    assert (board.data["page"], board.data["pages"], board.data["clients"]) == (1, 1, [])
    assert "No clients yet." in paragraph_text(board)
