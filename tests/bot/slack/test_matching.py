"""An account Stripe told us about that no client has the id of, in Slack: each admin (the
managers while the workspace names none) gets one direct message about it, whose button opens
the match form; submitting it makes the held invoices the client's."""

import asyncio
import json

from sqlalchemy.ext.asyncio import AsyncEngine

from skills.core.context import Services
from storage.book_models import SignalKind
from storage.database import create_session_factory
from tests.support.held import hold, invoice, stored
from tests.support.slack_driver import SlackDriver, block_buttons, block_texts, picked, text_input


async def test_a_manager_matches_an_unknown_customer_from_the_message(
    slack: SlackDriver, engine: AsyncEngine
) -> None:
    await slack.command("/client", "add Acme", user="UMARIA")
    await slack.fake.wait_for("respond")
    tenant = f"slack:{slack.fake.team_id}"
    # The app's own clock: the notice is due when the worker looks.
    services = Services(create_session_factory(engine))
    await hold(services, tenant, "stripe", "cus_1", invoice("evt_1"), name="ACME GmbH")
    await hold(services, tenant, "stripe", "cus_1", invoice("evt_1"))  # Stripe retried it
    await hold(services, tenant, "stripe", "cus_1", invoice("evt_2", SignalKind.INVOICE_PAID))

    [posted] = await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.3)  # time for a second notice to show up, if there were one
    assert len(slack.fake.made("chat.postMessage")) == 1
    assert posted.args["channel"] == "UMARIA"
    [(where, notice)] = [
        (key, args) for key, args in slack.fake.messages.items() if key[0] == "DMARIA"
    ]
    text = block_texts(notice["blocks"])
    assert "An account no client is matched to" in text
    assert "cus_1" in text
    assert "ACME GmbH" in text
    assert "Stripe sent events about a customer that no client has as its billing id" in text

    match = block_buttons(notice["blocks"])["Match to a client"]
    await slack.click(match, user="UMARIA", message=where)
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    acme, *_new = await slack.type_ahead("acm", user="UMARIA")
    answer = await slack.submit(
        view,
        {
            "source": {"source": picked("stripe")},
            "external_id": {"external_id": text_input("cus_1")},
            "client": {"client": picked(acme["value"], "external_select")},
        },
        user="UMARIA",
    )
    assert "is now matched to Acme: its 2 events went to the client" in block_texts(
        answer.json()["view"]["blocks"]
    )
    [account], held, signals = await stored(services, tenant)
    assert account.matched_by == "UMARIA"
    assert held == []
    assert sorted(signal.external_id for signal in signals) == ["evt_1", "evt_2"]


async def test_staff_cannot_match_an_account(slack: SlackDriver, engine: AsyncEngine) -> None:
    await slack.command("/client", "add Acme", user="UMARIA")
    await slack.fake.wait_for("respond")
    tenant = f"slack:{slack.fake.team_id}"
    services = Services(create_session_factory(engine))
    await hold(services, tenant, "stripe", "cus_1", invoice("evt_1"))
    await slack.command("/client", "match stripe cus_1 Acme", user="UANA")
    [_added, refused] = await slack.fake.wait_for("respond", 2)
    assert "Only managers" in block_texts(refused.args["blocks"])
    [account], held, _signals = await stored(services, tenant)
    assert (account.matched_client_id, len(held)) == (None, 1)
