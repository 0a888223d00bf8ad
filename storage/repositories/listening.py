"""Listening in support channels: channel links, weekly contact counters, open questions and
the events already counted. Counters only; no message text is ever stored here."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChannelLink, ContactSignal, OpenQuestion, ProcessedEvent
from storage.repositories.inserts import try_insert

COUNTERS = (
    "client_messages",
    "staff_messages",
    "after_hours",
    "escalation_mentions",
    "unanswered",
    "flagged",
)


@dataclass(frozen=True)
class Question:
    """A staff question asked in a linked channel: only where and when, never what."""

    client_id: int
    channel_id: str
    asked_at: datetime


@dataclass(frozen=True)
class Volume:
    """One client's messages in a week."""

    client_id: int
    client_messages: int


class ListeningRepository:
    """Links, counters and questions of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def link(self, link: ChannelLink) -> None:
        """Link the channel to the client, replacing an earlier link of the same channel."""
        await self.unlink(link.tenant_id, link.channel_id)
        self._session.add(link)
        await self._session.flush()

    async def unlink(self, tenant_id: str, channel_id: str) -> bool:
        """Remove the channel's link; False when it had none."""
        statement = delete(ChannelLink).where(
            col(ChannelLink.tenant_id) == tenant_id, col(ChannelLink.channel_id) == channel_id
        )
        result = await self._session.exec(statement)
        return bool(result.rowcount)

    async def linked_client(self, tenant_id: str, channel_id: str) -> int | None:
        """The client a channel is linked to, or None."""
        statement = select(ChannelLink.client_id).where(
            ChannelLink.tenant_id == tenant_id, ChannelLink.channel_id == channel_id
        )
        return (await self._session.exec(statement)).first()

    async def first_times(self, tenant_id: str, event_ids: list[str], at: datetime) -> set[str]:
        """Note events as counted; the ids not counted before (a retried delivery's is not).

        One statement for the batch: an insert that skips the ids already there and returns
        those it wrote, so two replicas hearing one event count it once. (A read of the known
        ids first went slow on PostgreSQL as the table grew: after a few runs its cached plan
        for a 200-id ``IN`` scanned the whole table.)
        """
        wanted = set(event_ids)
        if not wanted:
            return set()
        # In a fixed order: two replicas inserting overlapping ids in opposite orders could
        # deadlock on PostgreSQL.
        rows = [
            {"tenant_id": tenant_id, "event_id": event, "received_at": at}
            for event in sorted(wanted)
        ]
        connection = await self._session.connection()
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(ProcessedEvent)
            .on_conflict_do_nothing(index_elements=["tenant_id", "event_id"])
            .returning(col(ProcessedEvent.event_id))
        )
        return {str(event) for event in (await connection.execute(statement, rows)).scalars()}

    async def count(self, tenant_id: str, client_id: int, week: str, **increments: int) -> None:
        """Add to the client's counters of the week (created at zero when new)."""
        values = {
            name: getattr(ContactSignal, name) + amount for name, amount in increments.items()
        }
        statement = (
            update(ContactSignal)
            .where(
                col(ContactSignal.tenant_id) == tenant_id,
                col(ContactSignal.client_id) == client_id,
                col(ContactSignal.week) == week,
            )
            .values(**values)
        )
        if (await self._session.exec(statement)).rowcount:
            return
        created = ContactSignal(tenant_id=tenant_id, client_id=client_id, week=week, **increments)
        if await try_insert(self._session, created) is not None:
            # Created meanwhile by a concurrent message: add to it.
            await self._session.exec(statement)

    async def signals(self, tenant_id: str, client_id: int) -> list[ContactSignal]:
        """The client's counters, newest week first."""
        statement = (
            select(ContactSignal)
            .where(ContactSignal.tenant_id == tenant_id, ContactSignal.client_id == client_id)
            .order_by(col(ContactSignal.week).desc())
        )
        return list((await self._session.exec(statement)).all())

    async def volumes(
        self, tenant_id: str, week: str, client_ids: Collection[int] | None = None
    ) -> list[Volume]:
        """Every client's messages in a week, or only those of ``client_ids`` when given."""
        statement = select(ContactSignal.client_id, ContactSignal.client_messages).where(
            ContactSignal.tenant_id == tenant_id, ContactSignal.week == week
        )
        if client_ids is not None:
            statement = statement.where(col(ContactSignal.client_id).in_(client_ids))
        return [
            Volume(int(row[0]), int(row[1])) for row in (await self._session.exec(statement)).all()
        ]

    async def message_counts(self, tenant_id: str, week: str) -> list[int]:
        """The messages of each client who wrote in a week (for the tenant's median)."""
        statement = select(ContactSignal.client_messages).where(
            ContactSignal.tenant_id == tenant_id,
            ContactSignal.week == week,
            col(ContactSignal.client_messages) > 0,
        )
        return [int(count) for count in (await self._session.exec(statement)).all()]

    async def ask(self, tenant_id: str, questions: list[Question]) -> None:
        """Note staff questions waiting for the client, with one insert (Core: a batch's ORM
        rows would cost more than counting its messages)."""
        if not questions:
            return
        rows = [
            {
                "tenant_id": tenant_id,
                "client_id": question.client_id,
                "channel_id": question.channel_id,
                "asked_at": question.asked_at,
            }
            for question in questions
        ]
        connection = await self._session.connection()
        await connection.execute(insert(OpenQuestion), rows)

    async def answered(self, tenant_id: str, channel_id: str) -> None:
        """The client wrote in the channel: its open questions are answered."""
        await self._session.exec(
            delete(OpenQuestion).where(
                col(OpenQuestion.tenant_id) == tenant_id, col(OpenQuestion.channel_id) == channel_id
            )
        )

    async def unanswered_since(self, tenant_id: str, before: datetime) -> list[int]:
        """The clients of questions asked before ``before`` and still open, one per question,
        removed as they are handed back (by one delete: two replicas never count one twice)."""
        statement = (
            delete(OpenQuestion)
            .where(col(OpenQuestion.tenant_id) == tenant_id, col(OpenQuestion.asked_at) < before)
            .returning(col(OpenQuestion.client_id))
        )
        return [int(row[0]) for row in (await self._session.exec(statement)).all()]

    async def tenants_with_questions(self) -> list[str]:
        """Tenants with open questions, across tenants (the ghosting check's work list)."""
        statement = select(OpenQuestion.tenant_id).distinct()
        return list((await self._session.exec(statement)).all())

    async def purge(self, tenant_id: str, *, before_week: str) -> int:
        """Delete counters of weeks before ``before_week``; how many rows went."""
        result = await self._session.exec(
            delete(ContactSignal).where(
                col(ContactSignal.tenant_id) == tenant_id, col(ContactSignal.week) < before_week
            )
        )
        return int(result.rowcount or 0)

    async def forget_events(self, before: datetime) -> None:
        """Drop the record of events counted long ago, across tenants (retries come within
        minutes)."""
        await self._session.exec(
            delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < before)
        )
