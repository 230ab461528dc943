"""sealed ballots: envelopes during voting, no pseudonym on plain ballots

Ballots are sealed to the round's public key while voting is open and written as plain,
shuffled ballots at closing (docs/security.md). Plain ballots of a round that is open while
this runs stay as they are and are counted at closing; their pseudonyms are dropped, so
such ballots can no longer be changed.

Revision ID: 3c5e7a1b9d20
Revises: 86522d55a9aa
Create Date: 2026-12-04 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c5e7a1b9d20'
down_revision = '86522d55a9aa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sealed_ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_area_id', sa.Integer(), nullable=False),
    sa.Column('envelope', sa.LargeBinary(), nullable=False),
    sa.Column('pseudonym', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['round_area_id'], ['round_areas.id'], name=op.f('fk_sealed_ballots_round_area_id_round_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_ballots')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_sealed_ballots_pseudonym'))
    )
    with op.batch_alter_table('sealed_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_ballots_round_area_id'), ['round_area_id'], unique=False)
    with op.batch_alter_table('budget_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ballot_public_key', sa.String(length=64), nullable=True))
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ballots_pseudonym'), type_='unique')
        batch_op.drop_column('pseudonym')


def downgrade():
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonym', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_ballots_pseudonym'), ['pseudonym'])
    with op.batch_alter_table('budget_rounds', schema=None) as batch_op:
        batch_op.drop_column('ballot_public_key')
    with op.batch_alter_table('sealed_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sealed_ballots_round_area_id'))
    op.drop_table('sealed_ballots')
