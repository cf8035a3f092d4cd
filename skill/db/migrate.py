"""Bringing a database to the newest migration, on demand or on first use."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from skill.config import Settings
from skill.db.database import Database, time_left

if TYPE_CHECKING:  # imported only to migrate: they would outweigh the rest of a cold start
    from alembic.config import Config
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_LOCK_ID = 0x43_4F_41_43_48  # "COACH": one migrator at a time on PostgreSQL
_lock = threading.Lock()
#: Longest bringing a database up to date on first use may take (once per process).
MIGRATION_BUDGET_SECONDS = 60.0
#: The newest migration; tests/integration keeps it equal to Alembic's head.
HEAD = "0009"


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    """The revision the database is at (None when it has no schema yet)."""
    if database.dialect == "sqlite":
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    else:
        exists = "SELECT to_regclass('alembic_version') IS NOT NULL"
    if not database.scalar(exists):  # an empty database
        return None
    found = database.scalar("SELECT version_num FROM alembic_version")
    return str(found) if found is not None else None


def upgrade(engine: Engine) -> None:
    """Upgrade the database to head; safe to call from several processes at once (those that
    waited while another migrated find it at head and let go at once)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import text

    head, cfg = head_revision(), alembic_config()  # read before the lock, not while holding it
    with _lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
        if MigrationContext.configure(conn).get_current_revision() != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    log.info("database schema at %s", head)


def ensure_schema(database: Database, *, attempts: int = 3) -> None:
    """Upgrade only when the database is behind (two cheap queries when it is not, without
    importing SQLAlchemy or Alembic). When several processes start on one new database, one
    migrates while the others wait for its lock; a wait that runs out is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            if current_revision(database) != HEAD:
                upgrade_url(database.url)
            return
        except Exception as exc:
            pause, left = 0.2 * attempt, time_left()
            out_of_time = left is not None and left <= pause  # the migration's budget
            if attempt == attempts or not _is_operational(exc) or out_of_time:
                raise
            log.warning("schema check failed, trying again (attempt %d)", attempt)
            time.sleep(pause)


def _is_operational(exc: BaseException) -> bool:
    """A lock wait that ran out, a dropped connection: worth another try."""
    return "OperationalError" in (type(exc).__name__, type(exc.__cause__).__name__)


def upgrade_url(url: str) -> None:
    """Upgrade the database a DATABASE_URL names to head."""
    from skill.db.engine import make_engine

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def upgrade_head(settings: Settings) -> None:
    """`comeback-coach db upgrade`: migrate the configured database to the newest schema."""
    upgrade_url(settings.database_url)
