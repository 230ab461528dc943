"""ideas: an optional second-language title, summary and description, translated by the author

Revision ID: e3a7c1d9b5f2
Revises: e5a7c9b1d3f2
Create Date: 2026-12-07 15:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a7c1d9b5f2'
down_revision = 'e5a7c9b1d3f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_language', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('second_title', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('second_summary', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('second_description', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('second_description')
        batch_op.drop_column('second_summary')
        batch_op.drop_column('second_title')
        batch_op.drop_column('second_language')
