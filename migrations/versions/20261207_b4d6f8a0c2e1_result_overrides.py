"""Result overrides: an administrator does not fund a computed winner, with a reason.

Revision ID: b4d6f8a0c2e1
Revises: a1c3e5f7b9d2
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "b4d6f8a0c2e1"
down_revision = "a1c3e5f7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "result_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_area_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replacement_idea_ids", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_result_overrides_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_result_overrides_idea_id_ideas")
        ),
        sa.ForeignKeyConstraint(
            ["round_area_id"],
            ["round_areas.id"],
            name=op.f("fk_result_overrides_round_area_id_round_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_overrides")),
        sa.UniqueConstraint(
            "round_area_id", "idea_id", name=op.f("uq_result_overrides_round_area_id")
        ),
    )
    with op.batch_alter_table("result_overrides") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_overrides_round_area_id"), ["round_area_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("result_overrides") as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_overrides_round_area_id"))
    op.drop_table("result_overrides")
