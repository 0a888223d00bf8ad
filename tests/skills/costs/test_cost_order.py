"""The board's cost order, written in SQL, is the pure rule's ratio: on generated clients
(revenue from invoices, from the record, in other currencies, none), page after page."""

import random
from decimal import Decimal

from tests.skills.costs.book import add_client, add_signals, invoice, touch
from tests.support.workspace import Workspace

CLIENTS = 45


async def test_the_cost_order_is_the_rules_ratio(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client settings hourly-cost 45.50 EUR", as_user="maria")
    draw = random.Random(18)
    for number in range(CLIENTS):
        revenue = draw.choice([None, Decimal(0), Decimal(draw.randint(50, 5000))])
        currency = draw.choice([None, "EUR", "USD"])
        client = await add_client(
            ws, f"Client {number:02d}", monthly_revenue=revenue, currency=currency
        )
        signals = [
            touch(f"2026-02-{draw.randint(1, 28):02d}T10:{minute:02d}", draw.randint(0, 900))
            for minute in range(draw.randint(0, 3))
        ]
        if draw.random() < 0.4:
            amount = str(draw.randint(1, 3000))
            signals.append(
                invoice("2026-02-10T10:00", "invoice_issued", f"c{number}", amount, "EUR")
            )
        if draw.random() < 0.1:
            signals.append(invoice("2026-02-11T10:00", "invoice_issued", f"d{number}", "9", "USD"))
        await add_signals(ws, client, *signals)

    rows = []
    for page in (1, 2, 3):
        board = await ws.say(f"/client list cost {page}")
        rows += board.data["clients"]
    assert len(rows) == CLIENTS
    ratios = [row["cost_to_revenue"] for row in rows]
    with_ratio = [ratio for ratio in ratios if ratio is not None]
    # Every ratio before every client without one, highest first.
    assert ratios[: len(with_ratio)] == with_ratio
    assert with_ratio == sorted(with_ratio, reverse=True)
    assert 5 < len(with_ratio) < CLIENTS


async def test_the_cost_order_rounds_the_cost_as_the_printed_ratio(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client settings hourly-cost 0.30 EUR", as_user="maria")
    # A minute costs half a cent, a cent rounded half up: 0.01 of 1.00. Two minutes cost a
    # cent: 0.0067 of 1.50. Unrounded the second would come first (0.0067 against 0.005).
    half = await add_client(ws, "Half Cent", monthly_revenue=Decimal("1.00"), currency="EUR")
    whole = await add_client(ws, "Whole Cent", monthly_revenue=Decimal("1.50"), currency="EUR")
    await add_signals(ws, half, touch("2026-02-10T10:00", 1))
    await add_signals(ws, whole, touch("2026-02-10T10:00", 2))
    board = await ws.say("/client list cost")
    rows = [(row["name"], row["cost_to_revenue"]) for row in board.data["clients"]]
    assert rows == [("Half Cent", 0.01), ("Whole Cent", float(Decimal("0.01") / Decimal("1.50")))]
