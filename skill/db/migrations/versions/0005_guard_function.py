"""coach_expect_one(): a write batch's guard on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A request sends its writes to PostgreSQL as one batch (one round trip, one transaction).
# The user's UPDATE is guarded by the revision it was read with; when it finds the row
# changed, this function fails the statement with SQLSTATE 40001 (serialization_failure,
# the standard "run the transaction again"), so the whole batch rolls back and the unit of
# work runs the use case again (see skill.db.uow). SQLite needs none: each statement's row
# count is read there.
CREATE = """
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS coach_expect_one(bigint)")
