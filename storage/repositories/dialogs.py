"""Dialog sessions: forms in progress, found again by id from a platform payload."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DialogSession


class DialogRepository:
    """Stores and finds dialog sessions of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, dialog: DialogSession) -> DialogSession:
        """Store a new dialog (its id is chosen by the caller)."""
        self._session.add(dialog)
        return dialog

    async def get_open(
        self, tenant_id: str, dialog_id: str, user_id: str, now: datetime
    ) -> DialogSession | None:
        """The person's dialog with this id, unless it was closed or has expired."""
        statement = select(DialogSession).where(
            DialogSession.tenant_id == tenant_id,
            DialogSession.id == dialog_id,
            DialogSession.user_id == user_id,
            DialogSession.status == "open",
            DialogSession.expires_at > now,
        )
        return (await self._session.exec(statement)).first()

    async def open_for(
        self, tenant_id: str, user_id: str, kind: str, client_id: int, now: datetime
    ) -> DialogSession | None:
        """The person's unexpired open dialog of this kind about this client."""
        statement = select(DialogSession).where(
            DialogSession.tenant_id == tenant_id,
            DialogSession.user_id == user_id,
            DialogSession.kind == kind,
            DialogSession.client_id == client_id,
            DialogSession.status == "open",
            DialogSession.expires_at > now,
        )
        return (await self._session.exec(statement)).first()

    async def save(self, dialog: DialogSession) -> None:
        """Write the dialog's changes (with the transaction's other changes)."""
        self._session.add(dialog)
