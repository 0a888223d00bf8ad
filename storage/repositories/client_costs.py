"""Cost against value in SQL: a month of a tenant's signals summed per client, the invoices
overdue at a moment, and the cost-to-revenue ratio the board sorts by (docs/costs.md).

Every statement is one aggregate over the tenant's signals in a time range: the month's sums
read ``ix_signal_tenant_occurred`` (tenant_id, occurred_at), and whether an overdue invoice was
paid reads ``ix_signal_client_occurred`` (tenant_id, client_id, occurred_at). Nothing loops over
clients. The rule that turns the sums into figures is ``skills.costs.month``; the board's ratio
(``cost_ranking``) is the same rule written in SQL, held to it by tests/skills/costs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Numeric, Subquery, and_, case, exists, func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.book_models import SUPPORT_KINDS, Signal, SignalKind
from storage.models import Client

MINUTES_PER_HOUR = 60


@dataclass(frozen=True)
class SignalTotals:
    """One client's signals in a time range, summed. ``support`` counts the ticket and touch
    signals (what says how much support there was); ``invoiced`` is the issued invoices'
    total; ``invoice_currencies`` the lowest and highest of their currencies (equal when they
    share one)."""

    client_id: int
    support: int
    tickets_opened: int
    tickets_solved: int
    touches: int
    minutes: int
    invoiced: Decimal | None
    invoice_currencies: tuple[str | None, str | None]


@dataclass(frozen=True)
class OverdueInvoice:
    """A signal that an invoice is overdue, with no payment of that invoice recorded before
    the moment asked about."""

    client_id: int
    invoice: str
    amount: Decimal | None
    currency: str | None
    due_at: datetime | None
    occurred_at: datetime


@dataclass(frozen=True)
class CostRanking:
    """A month's sums per client (``totals``, joined by ``client_id``) and the ratio of cost to
    revenue they give, NULL where there is none, for ordering clients."""

    totals: Subquery
    ratio: ColumnElement[Decimal | None]


def _of_kind(kind: SignalKind) -> ColumnElement[bool]:
    return col(Signal.kind) == kind


def _totals_statement(
    tenant_id: str, start: datetime, end: datetime, client_ids: Sequence[int] | None
) -> Subquery:
    issued = _of_kind(SignalKind.INVOICE_ISSUED)
    where = [
        col(Signal.tenant_id) == tenant_id,
        col(Signal.occurred_at) >= start,
        col(Signal.occurred_at) < end,
    ]
    if client_ids is not None:
        where.append(col(Signal.client_id).in_(client_ids))
    return (
        sa_select(
            col(Signal.client_id).label("client_id"),
            func.count(case((_of_kind(SignalKind.TICKET_OPENED), 1))).label("opened"),
            func.count(case((_of_kind(SignalKind.TICKET_SOLVED), 1))).label("solved"),
            func.count(case((_of_kind(SignalKind.TOUCH), 1))).label("touches"),
            func.count(case((col(Signal.kind).in_(SUPPORT_KINDS), 1))).label("support"),
            func.coalesce(func.sum(col(Signal.minutes)), 0).label("minutes"),
            func.sum(case((issued, col(Signal.amount)))).label("invoiced"),
            func.min(case((issued, col(Signal.currency)))).label("currency_low"),
            func.max(case((issued, col(Signal.currency)))).label("currency_high"),
        )
        .where(*where)
        .group_by(col(Signal.client_id))
        .subquery("month_totals")
    )


def cost_ranking(
    tenant_id: str,
    start: datetime,
    end: datetime,
    *,
    hourly_cost: Decimal | None,
    currency: str | None,
) -> CostRanking:
    """``skills.costs.month.figures``'s ratio in SQL, for the month [start, end): the minutes
    at ``hourly_cost``, to the cent, over the month's invoices, or else the record's monthly
    revenue; NULL without an hourly cost, without support signals that month, without
    revenue, or when the revenue is in another currency."""
    totals = _totals_statement(tenant_id, start, end, None)
    if hourly_cost is None or currency is None:
        return CostRanking(totals, literal(None, Numeric(20, 6)))
    invoiced = totals.c.invoiced.is_not(None)
    revenue = case((invoiced, totals.c.invoiced), else_=col(Client.monthly_revenue))
    revenue_currency = case(
        (
            invoiced,
            case((totals.c.currency_low == totals.c.currency_high, totals.c.currency_low)),
        ),
        else_=func.coalesce(col(Client.currency), currency),
    )
    # Both in cents, rounded half away from zero as the rule rounds (ROUND_HALF_UP on amounts
    # that are never negative), so that the order is that of the ratios the lines print. The
    # cost is whole cents × minutes ÷ 60: exact in NUMERIC, and its halves exact in a float.
    hourly_cents = literal(int(hourly_cost * 100), Numeric(20, 0))
    cost = func.round(totals.c.minutes * hourly_cents / literal(MINUTES_PER_HOUR, Numeric(20, 0)))
    revenue_cents = func.round(revenue * literal(100, Numeric(20, 0)))
    ratio = case(
        (
            and_(totals.c.support > 0, revenue_cents > 0, revenue_currency == currency),
            cost / revenue_cents,
        )
    )
    return CostRanking(totals, ratio)


class ClientCostRepository:
    """Reads a tenant's signals as monthly sums and overdue invoices."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def month_totals(
        self,
        tenant_id: str,
        start: datetime,
        end: datetime,
        client_ids: Sequence[int] | None = None,
    ) -> dict[int, SignalTotals]:
        """Each client's signals in [start, end), summed: of ``client_ids``, or of every
        client with a signal then."""
        totals = _totals_statement(tenant_id, start, end, client_ids)
        rows = (await self._session.exec(sa_select(totals))).all()  # type: ignore[call-overload]
        return {
            row.client_id: SignalTotals(
                client_id=row.client_id,
                support=int(row.support),
                tickets_opened=int(row.opened),
                tickets_solved=int(row.solved),
                touches=int(row.touches),
                minutes=int(row.minutes),
                invoiced=None if row.invoiced is None else Decimal(str(row.invoiced)),
                invoice_currencies=(row.currency_low, row.currency_high),
            )
            for row in rows
        }

    async def overdue(
        self, tenant_id: str, at: datetime, client_ids: Sequence[int] | None = None
    ) -> list[OverdueInvoice]:
        """The overdue signals before ``at`` whose invoice was not paid before ``at`` (a
        payment settles the overdue signals with its ``invoice_id``), oldest first."""
        paid = aliased(Signal)
        settled = exists().where(
            col(paid.tenant_id) == tenant_id,
            col(paid.client_id) == col(Signal.client_id),
            col(paid.occurred_at) < at,
            col(paid.kind) == SignalKind.INVOICE_PAID,
            col(paid.invoice_id) == col(Signal.invoice_id),
        )
        statement = (
            select(Signal)
            .where(
                col(Signal.tenant_id) == tenant_id,
                col(Signal.occurred_at) < at,
                _of_kind(SignalKind.INVOICE_OVERDUE),
                ~settled,
            )
            .order_by(col(Signal.occurred_at), col(Signal.id))
        )
        if client_ids is not None:
            statement = statement.where(col(Signal.client_id).in_(client_ids))
        return [
            OverdueInvoice(
                client_id=row.client_id,
                # Without an invoice id, the signal is its own invoice, which nothing settles.
                invoice=row.invoice_id or f"{row.source}:{row.external_id}",
                amount=row.amount,
                currency=row.currency,
                due_at=row.due_at,
                occurred_at=row.occurred_at,
            )
            for row in (await self._session.exec(statement)).all()
        ]

    async def clients_with_signals(
        self, tenant_id: str, start: datetime, end: datetime
    ) -> list[Client]:
        """The tenant's clients with a signal in [start, end), in one query (a subquery, not a
        list of ids: a big tenant's list would pass the database's limit on parameters)."""
        with_signals = (
            sa_select(col(Signal.client_id))
            .where(
                col(Signal.tenant_id) == tenant_id,
                col(Signal.occurred_at) >= start,
                col(Signal.occurred_at) < end,
            )
            .distinct()
        )
        statement = select(Client).where(
            col(Client.tenant_id) == tenant_id, col(Client.id).in_(with_signals)
        )
        return list((await self._session.exec(statement)).all())
