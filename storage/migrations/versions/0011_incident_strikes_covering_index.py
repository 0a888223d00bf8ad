"""incident strikes covering index

The (tenant_id, client_id, occurred_at) index also holds severity, recorded_at, voided_at and
category, so that counting a client's active strikes (the card, the risk board, the weekly
summary's riskiest clients) and the categories of the clients who crossed read the index alone.
It replaces the narrower index rather than adding one: a report still writes one entry into
it, a wider one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 03:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NARROW = ['tenant_id', 'client_id', 'occurred_at']
COVERING = [*NARROW, 'severity', 'recorded_at', 'voided_at', 'category']


def upgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_tenant_id_client_id_occurred_at')
        batch_op.create_index('ix_incident_client_strikes', COVERING, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_client_strikes')
        batch_op.create_index('ix_incident_tenant_id_client_id_occurred_at', NARROW, unique=False)
