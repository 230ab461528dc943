"""accounts: session version (ends every session) and e-mail verification

Revision ID: a1c3e5f7b9d2
Revises: a7c3e91b5d20
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import buurtbegroting.models.types


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = 'a7c3e91b5d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        # Existing accounts have never proved their address: they verify on their next visit.
        batch_op.add_column(sa.Column('email_verified_at', buurtbegroting.models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('session_version')
