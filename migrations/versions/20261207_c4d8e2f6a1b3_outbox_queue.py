"""outbox becomes a queue: attempts, back-off, claims, the sealed text of secret messages

Revision ID: c4d8e2f6a1b3
Revises: c7e2a9f1d3b5
Create Date: 2026-12-07 14:40:00

"""
from alembic import op
import sqlalchemy as sa

import buurtbegroting.models.types


# revision identifiers, used by Alembic.
revision = 'c4d8e2f6a1b3'
down_revision = 'c7e2a9f1d3b5'
branch_labels = None
depends_on = None

UTC = buurtbegroting.models.types.UTCDateTime(timezone=True)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_body', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', UTC, nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', UTC, nullable=True))
    outbox = sa.table(
        'outbox_messages',
        sa.column('created_at', UTC),
        sa.column('next_attempt_at', UTC),
        sa.column('status', sa.String()),
        sa.column('attempts', sa.Integer()),
    )
    # Messages of before were tried once, when they were written.
    op.execute(outbox.update().values(next_attempt_at=outbox.c.created_at))
    op.execute(outbox.update().where(outbox.c.status != 'written').values(attempts=1))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('next_attempt_at', existing_type=UTC, nullable=False)
        batch_op.create_index('ix_outbox_messages_sent_at', ['sent_at'], unique=False)
        batch_op.create_index(
            'ix_outbox_messages_status_next', ['status', 'next_attempt_at'], unique=False
        )


def downgrade():
    outbox = sa.table('outbox_messages', sa.column('status', sa.String()))
    # The old outbox knew no waiting messages: what still waits was not delivered.
    op.execute(outbox.update().where(outbox.c.status == 'queued').values(status='failed'))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_status_next')
        batch_op.drop_index('ix_outbox_messages_sent_at')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('sealed_body')
