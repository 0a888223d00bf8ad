"""The risk board in SQL: one page of a tenant's clients ordered by risk, states derived by the
database.

The state is ``skills.strikes.policy.derive_state`` written as a CASE, from the values both
share (``storage.strike_rule``: the state names and ``STATE_RISK``), and the strikes are counted
with the one rule of ``storage.repositories.active_strikes``, the assessment's flag as one red
strike. ``tests/storage/test_board_order.py`` compares page after page with the pure
``derive_state`` and ``risk_order`` on generated data, on SQLite and on PostgreSQL.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import col

from storage.models import Client, Incident
from storage.repositories.active_strikes import FLAG, REPORT, is_active, is_red, one_if_active
from storage.repositories.client_costs import CostRanking
from storage.strike_rule import STATE_RISK, ClientState


@dataclass(frozen=True)
class BoardRow:
    """A client on the board: its state now and its active strikes, the flag counted."""

    client: Client
    state: ClientState
    strikes: int
    reds: int
    last_strike_recorded_at: datetime | None


def board_page_statement(
    tenant_id: str,
    *,
    window_start: datetime,
    threshold: int,
    offset: int,
    limit: int,
    by_cost: CostRanking | None = None,
) -> Select[Any]:
    """The query of one page of the board (see ``ClientRepository.board_page``); with
    ``by_cost``, the highest cost against revenue first, then the risk order."""
    # Only the window's active strikes are aggregated, per client, before meeting the clients'
    # other columns. Grouped by the client's id, SQLite walks the clients in order and reads each
    # one's window from the covering (tenant_id, client_id, occurred_at, ...) index, with no
    # sort and no table row; PostgreSQL hashes the window's strikes, in parallel.
    reports = (
        sa_select(
            col(Client.id).label("client_id"),
            func.count().label("strikes"),
            func.count(case((is_red(REPORT), 1))).label("reds"),
            func.max(Incident.recorded_at).label("last_recorded_at"),
        )
        # The client's row holds when its strikes were last cleared, which the rule reads.
        .join(Client, col(Client.id) == col(Incident.client_id))
        .where(
            col(Client.tenant_id) == tenant_id,
            col(Incident.tenant_id) == tenant_id,
            is_active(REPORT, window_start=window_start),
        )
        .group_by(col(Client.id))
        .subquery("reports")
    )
    flag = one_if_active(FLAG, window_start=window_start)
    flag_is_newer = and_(
        is_active(FLAG, window_start=window_start),
        or_(
            reports.c.last_recorded_at.is_(None),
            col(Client.flagged_at) > reports.c.last_recorded_at,
        ),
    )
    strikes = func.coalesce(reports.c.strikes, 0) + flag.strikes
    reds = func.coalesce(reports.c.reds, 0) + flag.reds
    last_recorded: ColumnElement[datetime | None] = case(
        (flag_is_newer, col(Client.flagged_at)), else_=reports.c.last_recorded_at
    )
    state = state_case(strikes, reds, last_recorded, threshold=threshold)
    rank = case({name.value: value for name, value in STATE_RISK.items()}, value=state)
    statement = (
        sa_select(Client, state, strikes, reds, last_recorded)
        .join(reports, reports.c.client_id == col(Client.id), isouter=True)
        .where(col(Client.tenant_id) == tenant_id)
    )
    first: list[ColumnElement[Any]] = []
    if by_cost is not None:
        statement = statement.join(
            by_cost.totals, by_cost.totals.c.client_id == col(Client.id), isouter=True
        )
        first.append(by_cost.ratio.desc().nulls_last())
    return (
        # ``skills.strikes.policy.risk_order``, then name and id so that pages never overlap.
        statement.order_by(
            *first,
            rank,
            reds.desc(),
            strikes.desc(),
            last_recorded.desc().nulls_last(),
            col(Client.name),
            col(Client.id),
        )
        .offset(offset)
        .limit(limit)
    )


def state_case(
    strikes: ColumnElement[int],
    reds: ColumnElement[int],
    last_recorded: ColumnElement[datetime | None],
    *,
    threshold: int,
) -> ColumnElement[str]:
    """``skills.strikes.policy.derive_state`` in SQL: the last decision stands until a strike is
    recorded after it; then one red or ``threshold`` strikes cross; any strike is a watch."""
    decided_at = col(Client.last_decision_at)
    decision_stands = and_(
        col(Client.last_decision).is_not(None),
        decided_at.is_not(None),
        or_(last_recorded.is_(None), last_recorded <= decided_at),
    )
    return case(
        (decision_stands, col(Client.last_decision)),
        (or_(reds > 0, strikes >= threshold), ClientState.THRESHOLD.value),
        (strikes > 0, ClientState.WATCH.value),
        else_=ClientState.OK.value,
    )
