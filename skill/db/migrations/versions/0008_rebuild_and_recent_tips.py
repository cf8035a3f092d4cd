"""users.met_on (the rebuild's first day) and users.recent_tips (no tip twice in a week)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("met_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("recent_tips", sa.String(400), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("recent_tips")
        batch.drop_column("met_on")
