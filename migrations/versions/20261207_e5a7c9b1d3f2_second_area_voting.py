"""rounds: vote in one other area of a round besides the own area

Revision ID: e5a7c9b1d3f2
Revises: e5f1a7c3b9d2
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a7c9b1d3f2'
down_revision = 'e5f1a7c3b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_rounds', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('allows_second_area', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('budget_rounds', schema=None) as batch_op:
        batch_op.alter_column('allows_second_area', server_default=None)
    with op.batch_alter_table('voting_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_round_area_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_voting_codes_second_round_area_id_round_areas'),
            'round_areas', ['second_round_area_id'], ['id'], ondelete='SET NULL',
        )
    op.create_table('second_area_voters',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('round_area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_area_id'], ['round_areas.id'], name=op.f('fk_second_area_voters_round_area_id_round_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['budget_rounds.id'], name=op.f('fk_second_area_voters_round_id_budget_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_area_voters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'user_id', name=op.f('pk_second_area_voters'))
    )


def downgrade():
    op.drop_table('second_area_voters')
    with op.batch_alter_table('voting_codes', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_voting_codes_second_round_area_id_round_areas'), type_='foreignkey'
        )
        batch_op.drop_column('second_round_area_id')
    with op.batch_alter_table('budget_rounds', schema=None) as batch_op:
        batch_op.drop_column('allows_second_area')
