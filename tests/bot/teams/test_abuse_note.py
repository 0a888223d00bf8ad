"""Teams' note about an abusive client message goes through the outbox: when the Bot Connector
fails, the note is retried and still reaches each manager once, and the queued row keeps none of
the message's words once it is sent."""

import asyncio

from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_app
from storage.database import create_session_factory
from storage.models import OutboxMessage, OutboxStatus
from storage.unit_of_work import UnitOfWork
from tests.support.fake_connector import FakeConnector, Sent, running_fake_connector
from tests.support.teams_driver import (
    TeamsDriver,
    card_buttons,
    card_texts,
    entra_id,
    personal_chat,
    teams_settings,
)

CHANNEL = "19:acme-support@thread.tacv2"
ABUSE = "You are all useless idiots."


async def test_the_note_survives_a_failed_send_and_arrives_once(
    database_url: str, engine: AsyncEngine
) -> None:
    async with (
        running_fake_connector() as connector,
        TestServer(create_app(teams_settings(database_url))) as server,
    ):
        teams = TeamsDriver(str(server.make_url("/")), connector)
        for person in ("29:maria", "29:ana"):
            teams.person(person)
        teams.person("29:carl", userRole="guest")
        await teams.install("29:maria")
        unknown = await teams.say("report-client Acme scope_creep a third free dashboard")
        create = next(d for label, d in card_buttons(unknown.cards[0]).items() if "Create" in label)
        await teams.submit(unknown, create)
        await teams.say('client link "Acme"', channel=CHANNEL)
        maria = personal_chat("29:maria")
        connector.failing[maria] = 1

        abusive = teams.activity("29:carl", channel=CHANNEL, text=ABUSE)
        for _delivery in range(2):  # Teams delivers it again: still one note
            assert (await teams.post(abusive)).status in {200, 201, 202}
        note = await connector.wait_until(lambda: _only_note(connector, maria))
        assert connector.failing[maria] == 0, "the first send failed"

        [row] = await _settled_notes(engine, f"teams:{teams.tenant}")
        assert (row.recipient_id, row.status, row.attempts) == (
            entra_id("29:maria"),
            OutboxStatus.SENT,
            2,
        )
        assert ABUSE not in str(row.payload), "a sent note keeps none of the message"
        assert _notes(connector, maria) == [note]
        assert _notes(connector, personal_chat("29:ana")) == [], "Ana is not a manager"

        texts = card_texts(note.cards[0])
        assert "This message from Carl may be abusive" in texts
        assert "insult “idiots”" in texts
        report = card_buttons(note.cards[0])["Report as abuse"]
        form = await teams.submit(note, report, user="29:maria")
        assert ABUSE in card_texts(form.cards[0]), "the report is prefilled with the message"
        assert connector.invalid == [], "every card the bot sent is a valid Adaptive Card 1.5"


def _notes(connector: FakeConnector, conversation: str) -> list[Sent]:
    return [
        item
        for item in connector.in_conversation(conversation)
        if item.cards and "may be abusive" in card_texts(item.cards[0])
    ]


def _only_note(connector: FakeConnector, conversation: str) -> Sent | None:
    notes = _notes(connector, conversation)
    return notes[0] if notes else None


async def _settled_notes(engine: AsyncEngine, tenant_id: str) -> list[OutboxMessage]:
    """The tenant's abuse notes in the outbox, once none is pending: the dispatcher settles a
    row just after the connector answered, so this waits (briefly) for that."""
    async with asyncio.timeout(10):
        while True:
            async with UnitOfWork(create_session_factory(engine)) as uow:
                rows = await uow.outbox.with_key_prefix(tenant_id, "abuse-note:")
                await uow.commit()  # a rollback would expire the rows handed back
            if rows and all(row.status != OutboxStatus.PENDING for row in rows):
                return rows
            await asyncio.sleep(0.05)
