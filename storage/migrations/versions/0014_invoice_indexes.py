"""invoice indexes: an invoice's signals, kept or held, found without a scan

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('heldsignal', schema=None) as batch_op:
        batch_op.create_index('ix_heldsignal_invoice', ['tenant_id', 'invoice_id', 'kind'], unique=False)

    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.create_index('ix_signal_invoice', ['tenant_id', 'invoice_id', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signal', schema=None) as batch_op:
        batch_op.drop_index('ix_signal_invoice')

    with op.batch_alter_table('heldsignal', schema=None) as batch_op:
        batch_op.drop_index('ix_heldsignal_invoice')

