"""Clients: lookup by normalised key, locking for policy changes, strike aggregates and the
risk board's pages."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, Table, and_, bindparam, case, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Client, Escalation, EscalationStatus, Incident
from storage.repositories.active_strikes import REPORT, is_active, is_red, of_its_client
from storage.repositories.board import BoardRow, board_page_statement
from storage.repositories.client_costs import CostRanking
from storage.repositories.inserts import try_insert
from storage.strike_rule import ClientState
from storage.types import UTCDateTime


@dataclass(frozen=True)
class ClientStrikeRow:
    """A client with the aggregate of its active strikes, as the card and the policy need it."""

    client: Client
    active_strikes: int
    active_reds: int
    last_strike_recorded_at: datetime | None
    open_escalation_id: int | None = None


# The statements every report runs, built once with bound parameters: building them again for
# each report took longer than running them.
_LOCK = (
    select(Client)
    .where(Client.tenant_id == bindparam("tenant_id"), Client.id == bindparam("client_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)
_BY_LOOKUP_KEY = select(Client).where(
    Client.tenant_id == bindparam("tenant_id"), Client.lookup_key == bindparam("lookup_key")
)


@cache
def _strikes_statement(*, one_client: bool) -> Select[Client, int, int, datetime, int | None]:
    """``ClientRepository.with_strikes``'s query, built once (as ``_LOCK``), its values bound
    parameters (``tenant_id``, ``window_start``, ``client_id``)."""
    window_start = bindparam("window_start", type_=UTCDateTime)
    # Only active strikes are joined, so the counts below need no condition of their own.
    active = and_(of_its_client(), is_active(REPORT, window_start=window_start))
    statement = (
        # SQLAlchemy's select: SQLModel's is typed for at most four columns.
        sa_select(
            Client,
            func.count(col(Incident.id)),
            func.count(case((is_red(REPORT), 1))),
            func.max(Incident.recorded_at),
            func.max(Escalation.id),
        )
        .join(Incident, active, isouter=True)
        .join(
            Escalation,
            and_(
                col(Escalation.client_id) == col(Client.id),
                col(Escalation.tenant_id) == col(Client.tenant_id),
                col(Escalation.status) == EscalationStatus.OPEN,
            ),
            isouter=True,
        )
        .where(col(Client.tenant_id) == bindparam("tenant_id"))
        .group_by(col(Client.id))
    )
    if one_client:
        statement = statement.where(col(Client.id) == bindparam("client_id"))
    return statement


class ClientRepository:
    """Reads and writes clients of one tenant at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: str, client_id: int) -> Client | None:
        """The client with this id in this tenant, or None."""
        statement = select(Client).where(Client.tenant_id == tenant_id, Client.id == client_id)
        return (await self._session.exec(statement)).first()

    async def lock(self, tenant_id: str, client_id: int) -> Client | None:
        """The client, locked until the transaction ends so policy changes are serialised."""
        parameters = {"tenant_id": tenant_id, "client_id": client_id}
        return (await self._session.exec(_LOCK, params=parameters)).first()

    async def by_lookup_key(self, tenant_id: str, lookup_key: str) -> Client | None:
        """The client whose normalised name is ``lookup_key``."""
        parameters = {"tenant_id": tenant_id, "lookup_key": lookup_key}
        return (await self._session.exec(_BY_LOOKUP_KEY, params=parameters)).first()

    async def all_names(self, tenant_id: str) -> list[tuple[int, str, list[str]]]:
        """Every client's id, name and aliases: the candidates for "did you mean"."""
        statement = select(Client.id, Client.name, Client.aliases).where(
            Client.tenant_id == tenant_id
        )
        rows = (await self._session.exec(statement)).all()
        return [(int(row[0] or 0), row[1], list(row[2])) for row in rows]

    async def with_organisation(self, tenant_id: str, organisation: str) -> int | None:
        """The client whose record names this external organisation id, or None."""
        statement = select(Client.id, Client.external_org_ids).where(Client.tenant_id == tenant_id)
        # A JSON list's membership test differs per database; a tenant's clients are few enough.
        for client_id, organisations in (await self._session.exec(statement)).all():
            if organisation in organisations:
                return client_id
        return None

    async def with_external_id(
        self, tenant_id: str, *, billing_id: str | None = None, helpdesk_id: str | None = None
    ) -> Client | None:
        """The client the billing system (or the help desk) knows by this id, or None."""
        statement = select(Client).where(Client.tenant_id == tenant_id)
        if billing_id is not None:
            statement = statement.where(Client.billing_id == billing_id)
        elif helpdesk_id is not None:
            statement = statement.where(Client.helpdesk_id == helpdesk_id)
        else:
            return None
        return (await self._session.exec(statement)).first()

    async def every(self, tenant_id: str) -> list[Client]:
        """All of the tenant's clients, by name and id (an import matches a file against them;
        the CSV export writes them)."""
        statement = (
            select(Client)
            .where(Client.tenant_id == tenant_id)
            .order_by(col(Client.name), col(Client.id))
        )
        return list((await self._session.exec(statement)).all())

    async def add_many(self, clients: list[Client]) -> None:
        """Insert new clients in one statement and give each its id (an import checked their
        keys and ids first). Without the session: its unit of work took more time than the
        database did."""
        if not clients:
            return
        table: Table = Client.__table__  # type: ignore[attr-defined]
        values = [
            {column.key: getattr(client, column.key) for column in table.columns}
            for client in clients
        ]
        for value in values:
            del value["id"]
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        connection = await self._session.connection()
        ids = (await connection.execute(statement, values)).scalars()
        for client, client_id in zip(clients, ids, strict=True):
            client.id = client_id

    async def search(self, tenant_id: str, key_fragment: str, *, limit: int) -> list[Client]:
        """Clients whose lookup key contains ``key_fragment`` (all when it is empty), by name."""
        statement = select(Client).where(Client.tenant_id == tenant_id)
        if key_fragment:
            statement = statement.where(
                col(Client.lookup_key).contains(key_fragment, autoescape=True)
            )
        statement = statement.order_by(col(Client.name)).limit(limit)
        return list((await self._session.exec(statement)).all())

    async def count(self, tenant_id: str) -> int:
        """How many clients the tenant has."""
        statement = sa_select(func.count()).where(col(Client.tenant_id) == tenant_id)
        return int((await self._session.exec(statement)).one()[0])  # type: ignore[call-overload]

    async def board_page(
        self,
        tenant_id: str,
        *,
        window_start: datetime,
        threshold: int,
        offset: int,
        limit: int,
        by_cost: CostRanking | None = None,
    ) -> list[BoardRow]:
        """``limit`` clients from ``offset`` in the risk board's order (undecided crossings
        first, then more reds, more strikes, the most recent; then by name and id), each with
        its state and active strikes (the assessment's flag counted as a red one) derived in
        the database under the tenant's ``threshold`` and the window starting at
        ``window_start`` (``storage.repositories.board``); with ``by_cost``, by cost against
        revenue first."""
        statement = board_page_statement(
            tenant_id,
            window_start=window_start,
            threshold=threshold,
            offset=offset,
            limit=limit,
            by_cost=by_cost,
        )
        rows = (await self._session.exec(statement)).all()  # type: ignore[call-overload]
        return [
            BoardRow(
                client=row[0],
                state=ClientState(row[1]),
                strikes=int(row[2]),
                reds=int(row[3]),
                last_strike_recorded_at=row[4],
            )
            for row in rows
        ]

    async def add(self, client: Client) -> Client:
        """Insert a client; when its key is taken concurrently, return the stored one."""
        refused = await try_insert(self._session, client)
        if refused is not None:
            stored = await self.by_lookup_key(client.tenant_id, client.lookup_key)
            if stored is None:
                raise refused
            return stored
        return client

    async def save(self, client: Client) -> None:
        """Write the client's changed fields (with the transaction's other changes)."""
        self._session.add(client)

    async def save_now(self, client: Client) -> None:
        """Write the client's changed fields (and the transaction's other changes) at once: a
        renamed client frees its name before the next statement (an import's later line may
        take it)."""
        self._session.add(client)
        await self._session.flush()

    async def with_strikes(
        self,
        tenant_id: str,
        *,
        window_start: datetime,
        client_id: int | None = None,
    ) -> list[ClientStrikeRow]:
        """Clients with their active report strikes counted in the database, and the id of each
        one's open escalation (one query, for the hot path of filing a report).

        ``window_start`` is ``storage.strike_rule.window_start`` of the moment asked about. The
        rule is ``active_strikes.is_active`` (the pure rule's SQL copy); an assessment's flag is
        not counted here: the caller adds it (``skills.strikes.policy.with_assessment_flag``).
        """
        statement = _strikes_statement(one_client=client_id is not None)
        parameters = {"tenant_id": tenant_id, "window_start": window_start, "client_id": client_id}
        rows = (
            await self._session.exec(statement, params=parameters)  # type: ignore[call-overload]
        ).all()
        return [
            ClientStrikeRow(
                client=row[0],
                active_strikes=int(row[1]),
                active_reds=int(row[2]),
                last_strike_recorded_at=row[3],
                open_escalation_id=row[4],
            )
            for row in rows
        ]
