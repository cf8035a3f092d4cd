"""a covering index for the window of days a request reads

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A request reads a user's last two weeks of days: (user_id, day) finds them, and the
    # other columns in the index spare one table lookup per day (an index-only scan). The
    # unique constraint stays: ON CONFLICT (user_id, day) needs it.
    op.create_index(
        "ix_day_logs_window",
        "day_logs",
        ["user_id", "day", "contact", "activity", "confidence"],
    )


def downgrade() -> None:
    op.drop_index("ix_day_logs_window", table_name="day_logs")
