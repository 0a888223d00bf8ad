"""hourly cost and currency unset until a manager sets them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 09:00:00.000000

A workspace's cost of a support hour and its currency were created as 50 and USD, values nobody
chose, and the assessment's value ratio used them. Both columns are nullable now, with no
default: unset until a manager sets them (``/client settings hourly-cost <amount> <currency>``,
or the assessment's question to a manager).

Existing rows. The two values only ever changed through ``/client settings hourly-cost`` and
``/client settings currency``, and every such change was audited from the first version of the
settings on: a ``settings.changed`` event whose subject is the setting (``setting``,
``hourly-cost`` or ``currency``). Nothing deletes those events (forgetting a client deletes the
events about that client only). So each value stays where the audit log shows a manager set it,
whatever it is (a manager who chose 50 keeps 50), and becomes unset everywhere else: there it
is still the default.

A finished assessment whose value ratio was computed with the default cost (finished before the
tenant's first ``hourly-cost`` change, or in a tenant that never made one) loses that ratio: it
was a figure from a value nobody entered. The recommendation it gave stays as it was given.

Downgrade: unset values become 50 and USD again; the dropped ratios are not brought back.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_tenant = sa.table(
    'tenant',
    sa.column('id', sa.String),
    sa.column('hourly_cost'),
    sa.column('currency'),
    sa.column('hourly_cost_set'),
    sa.column('currency_set'),
)
_audit = sa.table(
    'auditevent',
    sa.column('tenant_id', sa.String),
    sa.column('at', storage.types.UTCDateTime(timezone=True)),
    sa.column('action', sa.String),
    sa.column('outcome', sa.String),
    sa.column('subject_type', sa.String),
    sa.column('subject_id', sa.String),
)
_assessment = sa.table(
    'assessment',
    sa.column('id', sa.Integer),
    sa.column('tenant_id', sa.String),
    sa.column('value_ratio', sa.Float),
    sa.column('finished_at', storage.types.UTCDateTime(timezone=True)),
)


def upgrade() -> None:
    # New nullable columns take the values a manager set, then replace the old ones. Changing
    # the old columns in place would rebuild the table on SQLite, which its foreign keys forbid
    # inside the migration's transaction; adding, dropping and renaming a column do not (SQLite
    # 3.35 or later).
    op.add_column('tenant', sa.Column('hourly_cost_set', sa.Numeric(precision=10, scale=2), nullable=True))
    op.add_column('tenant', sa.Column('currency_set', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True))
    connection = op.get_bind()
    first_set = {
        setting: _first_changes(connection, setting) for setting in ('hourly-cost', 'currency')
    }
    for setting, column in (('hourly-cost', 'hourly_cost'), ('currency', 'currency')):
        if first_set[setting]:
            connection.execute(
                sa.update(_tenant)
                .where(_tenant.c.id.in_(list(first_set[setting])))
                .values({f'{column}_set': _tenant.c[column]})
            )
    _swap(('hourly_cost', 'currency'), ('hourly_cost_set', 'currency_set'))
    ratios = connection.execute(
        sa.select(_assessment.c.id, _assessment.c.tenant_id, _assessment.c.finished_at).where(
            _assessment.c.value_ratio.is_not(None)
        )
    ).all()
    for assessment_id, tenant_id, finished_at in ratios:
        cost_set_at = first_set['hourly-cost'].get(tenant_id)
        if cost_set_at is None or finished_at < cost_set_at:
            connection.execute(
                sa.update(_assessment)
                .where(_assessment.c.id == assessment_id)
                .values(value_ratio=None)
            )


def _first_changes(connection: sa.Connection, setting: str) -> dict[str, datetime]:
    """When each tenant's manager first changed ``setting``, by tenant id."""
    statement = (
        sa.select(_audit.c.tenant_id, sa.func.min(_audit.c.at))
        .where(
            _audit.c.action == 'settings.changed',
            _audit.c.outcome == 'ok',
            _audit.c.subject_type == 'setting',
            _audit.c.subject_id == setting,
        )
        .group_by(_audit.c.tenant_id)
    )
    return {tenant_id: at for tenant_id, at in connection.execute(statement).all()}


def _swap(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Drop the ``old`` columns of the tenant and give their names to the ``new`` ones."""
    for name in old:
        op.execute(f'ALTER TABLE tenant DROP COLUMN {name}')
    for name, replacement in zip(new, old, strict=True):
        op.execute(f'ALTER TABLE tenant RENAME COLUMN {name} TO {replacement}')


def downgrade() -> None:
    op.add_column('tenant', sa.Column('hourly_cost_set', sa.Numeric(precision=10, scale=2), nullable=False, server_default='50'))
    op.add_column('tenant', sa.Column('currency_set', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False, server_default='USD'))
    connection = op.get_bind()
    connection.execute(
        sa.update(_tenant)
        .where(_tenant.c.hourly_cost.is_not(None))
        .values(hourly_cost_set=_tenant.c.hourly_cost)
    )
    connection.execute(
        sa.update(_tenant)
        .where(_tenant.c.currency.is_not(None))
        .values(currency_set=_tenant.c.currency)
    )
    _swap(('hourly_cost', 'currency'), ('hourly_cost_set', 'currency_set'))
