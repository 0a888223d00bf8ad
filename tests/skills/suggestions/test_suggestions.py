"""Suggested reports on a hand-built workspace, on the test clock: the median rule, the daily
run that notices an invoice passing the non-payment days, the message's two buttons and the
card (docs/suggestions.md)."""

from decimal import Decimal

from sqlmodel import col, select

from bot.worker.scheduler import Scheduler
from skills.commands import Command
from skills.core.context import Actor
from skills.replies import Actions, Reply, ReplyKind
from skills.suggestions.message import suggestion_message
from skills.text.i18n import translator
from storage.integration_models import Suggestion
from storage.models import Incident, OutboxMessage
from tests.skills.costs.book import add_client, add_signals, invoice, touch
from tests.support.scenarios import paragraph_text
from tests.support.workspace import Workspace


async def _suggestions(ws: Workspace) -> list[Suggestion]:
    async with ws.services.session_factory() as session:
        statement = (
            select(Suggestion)
            .where(col(Suggestion.tenant_id) == ws.tenant_id)
            .order_by(col(Suggestion.id))
        )
        return list((await session.exec(statement)).all())


async def _messages(ws: Workspace) -> list[OutboxMessage]:
    async with ws.services.session_factory() as session:
        statement = (
            select(OutboxMessage)
            .where(
                col(OutboxMessage.tenant_id) == ws.tenant_id,
                col(OutboxMessage.kind) == "suggestion",
            )
            .order_by(col(OutboxMessage.id))
        )
        return list((await session.exec(statement)).all())


async def _tick(ws: Workspace) -> None:
    await Scheduler(ws.services, "test").tick()


async def _a_month_of(ws: Workspace, name: str, minutes: int, **record: object) -> int:
    """A client paying 1,000 EUR a month on record, with ``minutes`` of touches in February."""
    fields: dict[str, object] = {"monthly_revenue": Decimal(1000), "currency": "EUR", **record}
    client = await add_client(ws, name, **fields)
    await add_signals(ws, client, touch("2026-02-10T09:00", minutes))
    return client


async def test_a_client_far_above_the_median_for_what_it_pays_is_suggested_once(
    workspace: Workspace,
) -> None:
    # Per 100 EUR paid: 6, 6, 6, 9 and 12 minutes, and Hooli's 120; the median is 7.5, and
    # only Hooli is above three times it (22.5). Pied Piper pays in dollars: it is compared
    # with nobody, however much time it takes.
    for name, minutes in (("A", 60), ("B", 60), ("C", 60), ("D", 90), ("E", 120)):
        await _a_month_of(workspace, name, minutes)
    hooli = await _a_month_of(workspace, "Hooli", 1200)
    await _a_month_of(workspace, "Pied Piper", 5000, currency="USD")
    await _tick(workspace)
    [found] = await _suggestions(workspace)
    assert (found.client_id, found.category, found.key) == (hooli, "attention_hog", "2026-02")
    assert found.evidence == {
        "month": "2026-02",
        "minutes": 1200,
        "revenue": "1000.00",
        "currency": "EUR",
        "minutes_per": "120.00",
        "per": "100",
        "median": "7.50",
        "clients": 6,
        "factor": "3",
    }
    assert found.recipients == ["maria"]  # nobody owns Hooli: the managers are told
    workspace.clock.advance(days=1)
    await _tick(workspace)
    assert len(await _suggestions(workspace)) == 1
    assert len(await _messages(workspace)) == 1


async def test_four_clients_are_too_few_for_a_median(workspace: Workspace) -> None:
    for name, minutes in (("A", 60), ("B", 60), ("C", 60), ("Hooli", 1200)):
        await _a_month_of(workspace, name, minutes)
    await _tick(workspace)
    assert await _suggestions(workspace) == []


async def test_an_invoice_passing_the_non_payment_days_is_put_to_its_owner_once(
    workspace: Workspace,
) -> None:
    # Due on 10 January: on 2 March (the clock's start) it is 51 days overdue, and the
    # workspace counts non-payment as red from 60 days.
    acme = await add_client(workspace, "Acme Corp", owner_id="ana")
    await add_signals(
        workspace,
        acme,
        invoice("2026-01-20T09:00", "invoice_overdue", "in_1", "400", due="2026-01-10T00:00"),
    )
    paid = await add_client(workspace, "Paid Up", owner_id="ana")
    await add_signals(
        workspace,
        paid,
        invoice("2026-01-20T09:00", "invoice_overdue", "in_2", "90", due="2026-01-10T00:00"),
        invoice("2026-02-20T09:00", "invoice_paid", "in_2", "90"),
    )
    await _tick(workspace)
    assert await _suggestions(workspace) == []

    workspace.clock.advance(days=9)
    await _tick(workspace)
    [found] = await _suggestions(workspace)
    assert (found.client_id, found.category, found.key) == (acme, "non_payment", "in_1")
    assert found.evidence["days"] == 60
    assert found.evidence["amounts"] == {"EUR": "400.00"}
    [message] = await _messages(workspace)
    assert message.recipient_id == "ana"

    await _tick(workspace)  # the same day again: claimed already
    workspace.clock.advance(days=1)
    await _tick(workspace)  # a day later: that invoice was suggested already
    assert len(await _suggestions(workspace)) == 1
    assert len(await _messages(workspace)) == 1


async def _drawn(ws: Workspace, reader: str) -> Reply:
    [message] = await _messages(ws)
    reply = await suggestion_message(ws.services, message, Actor(ws.tenant_id, reader, reader))
    assert reply is not None
    return reply


def _buttons(reply: Reply) -> dict[str, Command]:
    actions = [block for block in reply.blocks if isinstance(block, Actions)]
    return {button.label: button.command for block in actions for button in block.buttons}


async def _overdue_acme(ws: Workspace) -> int:
    acme = await add_client(ws, "Acme Corp", owner_id="ana")
    await add_signals(
        ws,
        acme,
        invoice("2026-01-02T09:00", "invoice_overdue", "in_7", "1200", due="2025-12-31T00:00"),
    )
    await _tick(ws)
    return acme


async def test_the_owner_files_the_prefilled_report_with_one_click(workspace: Workspace) -> None:
    acme = await _overdue_acme(workspace)
    card = await workspace.say('/client "Acme Corp"')
    assert "Suggested: a non-payment report (invoice in_7, €1,200.00 (61 days))." in (
        paragraph_text(card)
    )
    [listed] = card.data["suggestions"]
    assert (listed["category"], listed["key"]) == ("non_payment", "in_7")
    reply = await _drawn(workspace, "ana")
    buttons = _buttons(reply)
    assert list(buttons) == ["File this report", "Not now"]
    filed = await workspace.run(buttons["File this report"], as_user="ana")
    assert filed.kind is ReplyKind.RESULT, filed
    assert filed.data["category"] == "non_payment"
    assert filed.data["severity"] == "red"  # 61 days: past the non-payment days
    again = await workspace.run(buttons["File this report"], as_user="ana")
    assert again.data["duplicate"] is True
    [found] = await _suggestions(workspace)
    assert (found.status, found.incident_id) == ("reported", filed.data["incident_id"])
    async with workspace.services.session_factory() as session:
        incident = await session.get(Incident, filed.data["incident_id"])
        assert incident is not None
        assert (incident.client_id, incident.days_overdue) == (acme, 61)
        assert incident.details == "Invoice in_7 is unpaid and overdue: €1,200.00 (61 days)."
    card = await workspace.say('/client "Acme Corp"')
    assert "Suggested:" not in paragraph_text(card)
    assert card.data["suggestions"] == []
    # Drawn now, a decided suggestion is not sent at all.
    [message] = await _messages(workspace)
    assert await suggestion_message(workspace.services, message, workspace.person("ana")) is None


async def test_not_now_sets_it_aside_and_only_its_people_may(workspace: Workspace) -> None:
    await _overdue_acme(workspace)
    not_now = _buttons(await _drawn(workspace, "ana"))["Not now"]
    refused = await workspace.run(not_now, as_user="pedro")
    assert refused.kind is ReplyKind.REFUSED
    done = await workspace.run(not_now, as_user="ana")
    assert done.data["status"] == "dismissed"
    [found] = await _suggestions(workspace)
    assert (found.status, found.decided_by) == ("dismissed", "ana")
    card = await workspace.say('/client "Acme Corp"')
    assert "Suggested:" not in paragraph_text(card)


async def test_forgetting_the_client_deletes_its_suggestions(workspace: Workspace) -> None:
    await _overdue_acme(workspace)
    asked = await workspace.say('/client forget "Acme Corp"', as_user="maria")
    confirm = next(block for block in asked.blocks if isinstance(block, Actions)).buttons[0]
    forgotten = await workspace.run(confirm.command, as_user="maria")
    assert forgotten.data["deleted"]["suggestions"] == 1
    assert await _suggestions(workspace) == []
    assert await _messages(workspace) == []


async def test_the_message_speaks_its_readers_language(workspace: Workspace) -> None:
    await _overdue_acme(workspace)
    [message] = await _messages(workspace)
    drawn = {
        locale: await suggestion_message(
            workspace.services, message, Actor(workspace.tenant_id, "ana", "Ana", locale)
        )
        for locale in ("es", "ja", "zh-Hant")
    }
    texts = {locale: str(reply.blocks) for locale, reply in drawn.items() if reply is not None}
    # Read through each catalog, so that its copy can be improved without touching the test.
    for locale, text in texts.items():
        t = translator(locale)
        heading = t._("Suggested report: {client} has not paid an invoice", client="Acme Corp")
        assert heading in text, locale
        assert t._("File this report") in text, locale
        assert heading != "Suggested report: Acme Corp has not paid an invoice", locale


async def test_the_daily_run_waits_for_the_morning_in_the_workspaces_timezone(
    workspace: Workspace,
) -> None:
    await workspace.say("/client settings timezone America/New_York", as_user="maria")
    acme = await add_client(workspace, "Acme Corp", owner_id="ana")
    await add_signals(
        workspace,
        acme,
        invoice("2026-01-02T09:00", "invoice_overdue", "in_7", "1200", due="2025-12-31T00:00"),
    )
    await _tick(workspace)  # 04:01 in New York
    assert await _suggestions(workspace) == []
    workspace.clock.advance(hours=5)
    await _tick(workspace)  # 09:01 there
    [found] = await _suggestions(workspace)
    assert found.key == "in_7"


async def test_a_payment_withdraws_the_open_suggestion(workspace: Workspace) -> None:
    acme = await _overdue_acme(workspace)
    await add_signals(workspace, acme, invoice("2026-03-02T10:00", "invoice_paid", "in_7", "1200"))
    workspace.clock.advance(days=1)
    await _tick(workspace)
    [found] = await _suggestions(workspace)
    assert (found.status, found.decided_by) == ("dismissed", "yellowcard")
    card = await workspace.say('/client "Acme Corp"')
    assert "Suggested:" not in paragraph_text(card)
    [message] = await _messages(workspace)
    assert await suggestion_message(workspace.services, message, workspace.person("ana")) is None
