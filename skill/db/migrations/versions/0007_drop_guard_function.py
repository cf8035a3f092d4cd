"""drop coach_expect_one(): writes check their own row count now

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The user's guarded UPDATE is one plain statement on both databases; the unit of work
    # reads its row count (see skill.db.repository), so PostgreSQL needs no function.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS coach_expect_one(bigint)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # as migration 0005 made it
        op.execute(
            """
            CREATE OR REPLACE FUNCTION coach_expect_one(changed bigint) RETURNS integer
            LANGUAGE plpgsql AS $$
            BEGIN
                IF changed <> 1 THEN
                    RAISE EXCEPTION 'the user changed since it was read' USING ERRCODE = '40001';
                END IF;
                RETURN 1;
            END
            $$
            """
        )
