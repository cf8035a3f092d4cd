"""users and day logs

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("zone_checked_on", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("best_run", sa.Integer(), nullable=False),
        sa.Column("slip_days", sa.Integer(), nullable=False),
        sa.Column("milestones", sa.Integer(), nullable=False),
        sa.Column("unsafe", sa.Boolean(), nullable=False),
        sa.Column("log_days", sa.Integer(), nullable=False),
        sa.Column("last_log_on", sa.Date(), nullable=True),
        sa.Column("log_run", sa.Integer(), nullable=False),
        sa.Column("tip_day", sa.Date(), nullable=True),
        sa.Column("tip_stage", sa.String(length=16), nullable=True),
        sa.Column("tip_index", sa.SmallInteger(), nullable=True),
        sa.Column("tips_used", sa.Integer(), nullable=False),
        sa.Column("slip_prev_stage", sa.String(length=16), nullable=True),
        sa.Column("slip_prev_contact_on", sa.Date(), nullable=True),
        sa.Column("reminder_offered", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("user_hash", name="uq_users_user_hash"),
    )
    op.create_table(
        "day_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("contact", sa.String(length=12), nullable=False),
        sa.Column("activity", sa.String(length=12), nullable=True),
        sa.Column("confidence", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_day_logs_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_day_logs"),
        sa.UniqueConstraint("user_id", "day", name="uq_day_logs_user_day"),
    )


def downgrade() -> None:
    op.drop_table("day_logs")
    op.drop_table("users")
