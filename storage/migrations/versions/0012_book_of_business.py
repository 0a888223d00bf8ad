"""book of business: client record fields, signals and API tokens

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('apitoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('last_used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_apitoken_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apitoken')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_apitoken_token_hash'))
    )
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apitoken_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_apitoken_active_name', ['tenant_id', 'name'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('occurred_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('invoice_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_signal_client_id_client')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_signal_tenant_id_tenant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal')),
    sa.UniqueConstraint('tenant_id', 'source', 'external_id', name=op.f('uq_signal_tenant_id_source_external_id'))
    )
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.create_index('ix_signal_client_occurred', ['tenant_id', 'client_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_signal_tenant_occurred', ['tenant_id', 'occurred_at'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True))
        batch_op.add_column(sa.Column('billing_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('helpdesk_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True))
        batch_op.create_index('uq_client_billing_id', ['tenant_id', 'billing_id'], unique=True, sqlite_where=sa.text('billing_id IS NOT NULL'), postgresql_where=sa.text('billing_id IS NOT NULL'))
        batch_op.create_index('uq_client_helpdesk_id', ['tenant_id', 'helpdesk_id'], unique=True, sqlite_where=sa.text('helpdesk_id IS NOT NULL'), postgresql_where=sa.text('helpdesk_id IS NOT NULL'))



def downgrade() -> None:
    op.drop_index('uq_client_helpdesk_id', table_name='client')
    op.drop_index('uq_client_billing_id', table_name='client')
    # Dropped in place, as both databases can: a batch copy of the client table would delete
    # it first, which SQLite's foreign keys refuse while reports point at its clients.
    for name in ('notes', 'helpdesk_id', 'billing_id', 'tier'):
        op.execute(f'ALTER TABLE client DROP COLUMN {name}')

    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index('ix_signal_tenant_occurred')
        batch_op.drop_index('ix_signal_client_occurred')

    op.drop_table('signal')
    with op.batch_alter_table('apitoken', schema=None) as batch_op:
        batch_op.drop_index('uq_apitoken_active_name', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_apitoken_tenant_id'))

    op.drop_table('apitoken')
