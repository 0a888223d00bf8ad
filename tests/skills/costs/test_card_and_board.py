"""The cost figures on the client's card and on the board, and the board's cost order."""

from decimal import Decimal

from skills.commands import ShowBoard
from skills.replies import Actions, Facts, Reply
from skills.text.i18n import translator
from tests.skills.costs.book import add_client, add_signals, invoice, quarter
from tests.support.scenarios import paragraph_text
from tests.support.workspace import Workspace


def _facts(reply: Reply) -> dict[str, str]:
    return {
        fact.label: fact.value
        for block in reply.blocks
        if isinstance(block, Facts)
        for fact in block.items
    }


async def test_the_card_shows_last_months_cost_against_revenue(workspace: Workspace) -> None:
    await quarter(workspace)
    card = await workspace.say('/client "Acme Corp"')
    facts = _facts(card)
    assert facts["Support in February 2026"] == "2 tickets, 0 touch points, 4.6 h"
    assert facts["Cost to serve"] == "€276.00"
    assert facts["Revenue in February 2026"] == "€120.00"
    assert facts["Cost against revenue"] == "costs 2.3× what it pays"
    assert facts["Amount overdue now"] == "€400.00 (15 days)"
    costs = card.data["costs"]
    assert costs["month"] == "2026-02"
    assert costs["cost_to_revenue"] == 2.3
    assert costs["overdue_now"] == {"amounts": {"EUR": "400.00"}, "days": 15}


async def test_the_card_says_why_there_is_no_ratio(workspace: Workspace) -> None:
    await quarter(workspace)
    globex = await workspace.say("/client Globex")
    assert "Cost against revenue" not in _facts(globex)
    assert (
        "No ratio: the revenue is in USD and the hourly cost in EUR, and Yellowcard does not "
        "convert currencies." in paragraph_text(globex)
    )


async def test_a_card_without_signals_or_revenue_shows_no_costs(workspace: Workspace) -> None:
    await workspace.say("/client settings hourly-cost 60 EUR", as_user="maria")
    await add_client(workspace, "Quiet Co")
    card = await workspace.say('/client "Quiet Co"')
    assert not any(label.startswith("Support in") for label in _facts(card))
    assert card.data["costs"]["cost_to_revenue"] is None


async def test_the_board_sorts_by_cost_against_revenue(workspace: Workspace) -> None:
    await quarter(workspace)
    by_risk = await workspace.say("/client list")
    assert [row["name"] for row in by_risk.data["clients"]] == [
        "Acme Corp",
        "Globex",
        "Initech",
        "Umbrella",
    ]
    by_cost = await workspace.say("/client list cost")
    assert by_cost.data["by"] == "cost"
    rows = by_cost.data["clients"]
    # The ratios first, highest first; then those without one, in the risk order.
    assert [(row["name"], row["cost_to_revenue"]) for row in rows] == [
        ("Acme Corp", 2.3),
        ("Umbrella", 0.3),
        ("Globex", None),
        ("Initech", None),
    ]
    text = paragraph_text(by_cost)
    assert "1. Acme Corp — OK — 0 strikes — costs 2.3× what it pays" in text
    assert "2. Umbrella — OK — 0 strikes — costs 30% of what it pays" in text
    assert by_cost.blocks[0].text == "Clients by cost against revenue, February 2026"  # type: ignore[union-attr]


async def test_the_cost_board_pages_in_its_order(workspace: Workspace) -> None:
    ids = await quarter(workspace)
    for number in range(1, 21):
        await add_client(workspace, f"Client {number:02d}")
    first = await workspace.say("/client list cost")
    assert (first.data["page"], first.data["pages"]) == (1, 2)
    assert [row["id"] for row in first.data["clients"][:2]] == [ids["Acme Corp"], ids["Umbrella"]]
    [next_page] = [
        button.command
        for block in first.blocks
        if isinstance(block, Actions)
        for button in block.buttons
    ]
    assert next_page == ShowBoard(2, by="cost")
    second = await workspace.run(next_page)
    assert second.data["page"] == 2
    seen = {row["id"] for row in first.data["clients"]}
    assert not seen & {row["id"] for row in second.data["clients"]}
    assert len(seen) + len(second.data["clients"]) == 24


async def test_the_cost_board_without_an_hourly_cost_says_how_to_set_it(
    workspace: Workspace,
) -> None:
    await add_client(workspace, "Acme Corp")
    board = await workspace.say("/client list cost")
    assert "No cost figures: the cost of a support hour is not set" in paragraph_text(board)
    assert [row["name"] for row in board.data["clients"]] == ["Acme Corp"]


async def test_the_summary_names_the_clients_costing_more_than_they_pay(
    workspace: Workspace,
) -> None:
    ids = await quarter(workspace)
    summary = await workspace.say("/client summary", as_user="maria")
    assert summary.data["costing_more"] == {
        "month": "2026-02",
        "count": 1,
        "clients": [
            {"client_id": ids["Acme Corp"], "cost_to_revenue": 2.3, "month_before": 1.5},
        ],
    }
    assert (
        "Clients costing more than they pay in February 2026:\n"
        "Acme Corp: 2.3× ↑ (the month before: 1.5×)"
    ) in paragraph_text(summary)


async def test_the_figures_in_japanese_and_chinese(workspace: Workspace) -> None:
    # Through the catalogs, not their wording, so that the copy can be improved: what is
    # checked is that the figures reach the translated sentences in the locale's notation.
    await quarter(workspace)
    ja = translator("ja")
    japanese = paragraph_text(await workspace.say("/client list cost", locale="ja"))
    assert "Acme Corp" in japanese
    assert ja._("costs {ratio}× what it pays", ratio="2.3") in japanese
    assert ja._("Cost against revenue") != "Cost against revenue"  # the catalog is read
    zh = translator("zh-Hant")
    chinese = _facts(await workspace.say('/client "Acme Corp"', locale="zh-Hant"))
    assert chinese[zh._("Cost against revenue")] == zh._("costs {ratio}× what it pays", ratio="2.3")
    support = zh._("Support in {month}", month="2026年2月")
    assert chinese[support] == zh._(
        "{tickets}, {touches}, {hours}",
        tickets=zh.n_("{count} ticket", "{count} tickets", 2),
        touches=zh.n_("{count} touch point", "{count} touch points", 0),
        hours=zh._("{hours} h", hours="4.6"),
    )


async def test_a_month_without_signals_is_no_data_not_zero_cost(workspace: Workspace) -> None:
    await workspace.say("/client settings hourly-cost 60 EUR", as_user="maria")
    await add_client(workspace, "Paying Co", monthly_revenue=Decimal(900), currency="EUR")
    card = await workspace.say('/client "Paying Co"')
    facts = _facts(card)
    assert facts["Revenue in February 2026"] == "€900.00"
    assert "Cost to serve" not in facts
    assert "no ticket or touch point of this client was received" in paragraph_text(card)
    assert card.data["costs"]["no_ratio"] == "no_support_signals"


async def test_a_month_with_only_invoices_has_no_cost(workspace: Workspace) -> None:
    ws = workspace
    await ws.say("/client settings hourly-cost 60 EUR", as_user="maria")
    await add_client(ws, "Aaa Co")
    billed = await add_client(ws, "Billed Co")
    await add_signals(ws, billed, invoice("2026-02-10T10:00", "invoice_issued", "b-1", "500"))
    card = await ws.say('/client "Billed Co"')
    facts = _facts(card)
    assert facts["Revenue in February 2026"] == "€500.00"
    assert not {"Cost to serve", "Cost against revenue"} & set(facts)
    assert not any(label.startswith("Support in") for label in facts)
    assert "no ticket or touch point of this client was received" in paragraph_text(card)
    assert card.data["costs"]["no_ratio"] == "no_support_signals"
    # Nor a ratio of 0 in the board's SQL: it keeps the risk order, where Aaa Co comes first.
    by_cost = await ws.say("/client list cost")
    assert [(row["name"], row["cost_to_revenue"]) for row in by_cost.data["clients"]] == [
        ("Aaa Co", None),
        ("Billed Co", None),
    ]
    assert "of what it pays" not in paragraph_text(by_cost)
