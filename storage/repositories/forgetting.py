"""Deleting everything recorded about one client, in the order the foreign keys need."""

from sqlalchemy import delete, or_, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import Signal
from storage.integration_models import Suggestion, UnmatchedAccount
from storage.models import (
    Assessment,
    AuditEvent,
    ChannelLink,
    Client,
    ContactSignal,
    Decision,
    DialogSession,
    Dispute,
    Escalation,
    Evidence,
    Incident,
    OpenQuestion,
    OutboxMessage,
    PlaybookProgress,
)


class ForgettingRepository:
    """Deletes a client's data of one tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def forget(self, tenant_id: str, client_id: int) -> dict[str, int]:
        """Delete the client and everything about it; how many rows of each kind went."""
        incidents = [
            row[0]
            for row in (
                await self._session.exec(  # type: ignore[call-overload]
                    select(col(Incident.id)).where(
                        col(Incident.tenant_id) == tenant_id, col(Incident.client_id) == client_id
                    )
                )
            ).all()
        ]
        escalations = [
            row[0]
            for row in (
                await self._session.exec(  # type: ignore[call-overload]
                    select(col(Escalation.id)).where(
                        col(Escalation.tenant_id) == tenant_id,
                        col(Escalation.client_id) == client_id,
                    )
                )
            ).all()
        ]
        client = await self._session.get(Client, client_id)
        names = {client.name, client.lookup_key, *client.aliases} if client else set()
        disputes = [
            row[0]
            for row in (
                await self._session.exec(  # type: ignore[call-overload]
                    select(col(Dispute.id)).where(
                        col(Dispute.tenant_id) == tenant_id, col(Dispute.client_id) == client_id
                    )
                )
            ).all()
        ]
        suggestions = [
            row[0]
            for row in (
                await self._session.exec(  # type: ignore[call-overload]
                    select(col(Suggestion.id)).where(
                        col(Suggestion.tenant_id) == tenant_id,
                        col(Suggestion.client_id) == client_id,
                    )
                )
            ).all()
        ]
        subjects = [("client", str(client_id))]
        # Refused attempts are audited under the name as typed.
        subjects += [("client", name) for name in names]
        subjects += [("dispute", str(item)) for item in disputes]
        subjects += [("incident", str(item)) for item in incidents]
        subjects += [("escalation", str(item)) for item in escalations]
        subjects += [("suggestion", str(item)) for item in suggestions]
        deleted: dict[str, int] = {}
        steps = [
            ("evidence", delete(Evidence).where(col(Evidence.incident_id).in_(incidents))),
            ("disputes", delete(Dispute).where(col(Dispute.client_id) == client_id)),
            ("decisions", delete(Decision).where(col(Decision.client_id) == client_id)),
            (
                "messages",
                delete(OutboxMessage).where(
                    col(OutboxMessage.tenant_id) == tenant_id,
                    or_(
                        *[
                            col(OutboxMessage.dedupe_key).startswith(f"escalation:{item}:")
                            for item in escalations
                        ],
                        # Notes about the client's heard messages hold the start of one.
                        col(OutboxMessage.dedupe_key).startswith(f"abuse-note:{client_id}:"),
                        *[
                            col(OutboxMessage.dedupe_key).startswith(f"suggestion:{item}:")
                            for item in suggestions
                        ],
                    ),
                ),
            ),
            ("escalations", delete(Escalation).where(col(Escalation.client_id) == client_id)),
            # Before the reports: a reported suggestion names its report.
            ("suggestions", delete(Suggestion).where(col(Suggestion.id).in_(suggestions))),
            ("reports", delete(Incident).where(col(Incident.client_id) == client_id)),
            ("assessments", delete(Assessment).where(col(Assessment.client_id) == client_id)),
            (
                "playbook",
                delete(PlaybookProgress).where(col(PlaybookProgress.client_id) == client_id),
            ),
            ("channel_links", delete(ChannelLink).where(col(ChannelLink.client_id) == client_id)),
            ("signals", delete(ContactSignal).where(col(ContactSignal.client_id) == client_id)),
            # What other systems sent through the signals API: tickets, touches, invoices.
            (
                "api_signals",
                delete(Signal).where(
                    col(Signal.tenant_id) == tenant_id, col(Signal.client_id) == client_id
                ),
            ),
            # The accounts of other systems matched to it (their held signals became the
            # client's when it was matched): heard of again, they are listed for matching again.
            (
                "matched_accounts",
                delete(UnmatchedAccount).where(
                    col(UnmatchedAccount.tenant_id) == tenant_id,
                    col(UnmatchedAccount.matched_client_id) == client_id,
                ),
            ),
            ("questions", delete(OpenQuestion).where(col(OpenQuestion.client_id) == client_id)),
            ("dialogs", delete(DialogSession).where(col(DialogSession.client_id) == client_id)),
            (
                "audit",
                delete(AuditEvent).where(
                    col(AuditEvent.tenant_id) == tenant_id,
                    or_(
                        *[
                            (col(AuditEvent.subject_type) == kind)
                            & (col(AuditEvent.subject_id) == key)
                            for kind, key in subjects
                        ]
                    ),
                ),
            ),
            (
                "client",
                delete(Client).where(
                    col(Client.tenant_id) == tenant_id, col(Client.id) == client_id
                ),
            ),
        ]
        for name, statement in steps:
            result = await self._session.exec(statement)
            deleted[name] = int(result.rowcount or 0)
        return deleted
