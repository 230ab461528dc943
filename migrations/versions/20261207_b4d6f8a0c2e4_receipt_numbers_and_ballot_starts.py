"""rounds: published receipt numbers per area, and ballot starts for one reminder

Revision ID: b4d6f8a0c2e4
Revises: b4d6f8a0c2e1
Create Date: 2026-12-07 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e4'
down_revision = 'b4d6f8a0c2e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round_areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_numbers', sa.Text(), nullable=True))
    op.create_table('ballot_starts',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_reminded', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['budget_rounds.id'], name=op.f('fk_ballot_starts_round_id_budget_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ballot_starts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'user_id', name=op.f('pk_ballot_starts'))
    )


def downgrade():
    op.drop_table('ballot_starts')
    with op.batch_alter_table('round_areas', schema=None) as batch_op:
        batch_op.drop_column('receipt_numbers')
