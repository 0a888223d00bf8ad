"""Dialog sessions: forms in progress, found again by id from a platform payload."""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DialogSession, DialogStatus
from storage.repositories.inserts import try_insert


class DialogRepository:
    """Stores and finds dialog sessions of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, dialog: DialogSession) -> DialogSession:
        """Store a new dialog (its id is chosen by the caller)."""
        self._session.add(dialog)
        return dialog

    async def get_open(
        self, tenant_id: str, dialog_id: str, user_id: str, now: datetime, *, lock: bool = False
    ) -> DialogSession | None:
        """The person's dialog with this id, unless it was closed or has expired.

        With ``lock`` the row stays locked until the transaction ends, so two submissions of
        the same step are taken one after the other (the second finds the dialog moved on).
        """
        statement = select(DialogSession).where(
            DialogSession.tenant_id == tenant_id,
            DialogSession.id == dialog_id,
            DialogSession.user_id == user_id,
            DialogSession.status == DialogStatus.OPEN,
            DialogSession.expires_at > now,
        )
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self._session.exec(statement)).first()

    async def open_for(
        self, tenant_id: str, user_id: str, kind: str, client_id: int
    ) -> DialogSession | None:
        """The person's open dialog of this kind about this client, expired or not (there is
        at most one: a partial unique index)."""
        statement = select(DialogSession).where(
            DialogSession.tenant_id == tenant_id,
            DialogSession.user_id == user_id,
            DialogSession.kind == kind,
            DialogSession.client_id == client_id,
            DialogSession.status == DialogStatus.OPEN,
        )
        return (await self._session.exec(statement)).first()

    async def add_unique(self, dialog: DialogSession) -> bool:
        """Store a dialog; False when the person already has an open one about the client."""
        return await try_insert(self._session, dialog) is None

    async def purge_expired(self, *, before: datetime) -> int:
        """Delete dialogs and parked commands that expired before ``before``, across tenants
        (the scheduler's housekeeping): they hold what people typed into forms."""
        statement = delete(DialogSession).where(col(DialogSession.expires_at) < before)
        return int((await self._session.exec(statement)).rowcount or 0)

    async def save(self, dialog: DialogSession) -> None:
        """Write the dialog's changes (with the transaction's other changes)."""
        self._session.add(dialog)
