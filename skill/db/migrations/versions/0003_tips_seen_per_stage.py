"""tips heard, per stage

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("tips_used", sa.Integer()),
    sa.column("tips_seen", sa.String()),
    sa.column("tip_stage", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("tips_seen", sa.String(length=400), nullable=False, server_default="{}")
        )
    # Carry over what the old single-stage record knew.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c.tips_used, users.c.tip_stage).where(
            users.c.tips_used != 0, users.c.tip_stage.is_not(None)
        )
    ).all()
    for row_id, used, stage in rows:
        connection.execute(
            users.update().where(users.c.id == row_id).values(tips_seen=json.dumps({stage: used}))
        )
    with op.batch_alter_table("users") as batch:
        batch.drop_column("tips_used")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("tips_used", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_column("tips_seen")
