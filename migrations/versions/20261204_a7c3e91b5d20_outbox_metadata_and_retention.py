"""outbox: kind, secret flag, delivery status; co-organiser contact data can be erased

Revision ID: a7c3e91b5d20
Revises: 3c5e7a1b9d20
Create Date: 2026-12-04 21:30:00

"""
from alembic import op
import sqlalchemy as sa

import buurtbegroting.models.types


# revision identifiers, used by Alembic.
revision = 'a7c3e91b5d20'
down_revision = '3c5e7a1b9d20'
branch_labels = None
depends_on = None

STATUS = sa.Enum('written', 'sent', 'failed', name='mailstatus', native_enum=False, length=24)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('is_secret', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('status', STATUS, nullable=False, server_default='written'))
        batch_op.add_column(sa.Column('sent_at', buurtbegroting.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=True)
    outbox = sa.table(
        'outbox_messages',
        sa.column('is_sent', sa.Boolean()),
        sa.column('status', sa.String()),
        sa.column('sent_at', buurtbegroting.models.types.UTCDateTime(timezone=True)),
        sa.column('created_at', buurtbegroting.models.types.UTCDateTime(timezone=True)),
        sa.column('subject', sa.String()),
        sa.column('body', sa.Text()),
        sa.column('is_secret', sa.Boolean()),
    )
    op.execute(
        outbox.update()
        .where(outbox.c.is_sent == sa.true())
        .values(status='sent', sent_at=outbox.c.created_at)
    )
    # Old messages may hold live reset links: their text goes, their metadata stays.
    op.execute(
        outbox.update()
        .where(outbox.c.body.like('%/wachtwoord-herstellen/%') | outbox.c.body.like('%/cheques/bevestigen/%'))
        .values(body=None, is_secret=True)
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('is_sent')
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('is_secret', server_default=None)
        batch_op.alter_column('status', server_default=None)

    with op.batch_alter_table('co_organisers', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    co = sa.table(
        'co_organisers',
        sa.column('id', sa.Integer()),
        sa.column('email', sa.String()),
        sa.column('token_hash', sa.String()),
    )
    op.execute(co.update().where(co.c.email.is_(None)).values(email=sa.literal('erased-') + sa.cast(co.c.id, sa.String()) + sa.literal('@invalid')))
    op.execute(co.update().where(co.c.token_hash.is_(None)).values(token_hash=sa.literal('erased-') + sa.cast(co.c.id, sa.String())))
    with op.batch_alter_table('co_organisers', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_sent', sa.Boolean(), nullable=False, server_default=sa.false()))
    outbox = sa.table('outbox_messages', sa.column('is_sent', sa.Boolean()), sa.column('status', sa.String()), sa.column('body', sa.Text()))
    op.execute(outbox.update().where(outbox.c.status == 'sent').values(is_sent=True))
    op.execute(outbox.update().where(outbox.c.body.is_(None)).values(body=''))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('is_sent', server_default=None)
        batch_op.alter_column('body', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('sent_at')
        batch_op.drop_column('status')
        batch_op.drop_column('is_secret')
        batch_op.drop_column('kind')
