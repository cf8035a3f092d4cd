"""Bringing a database to the newest migration, on demand or on first use."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from skill.config import Settings
from skill.db.engine import make_engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_LOCK_ID = 0x43_4F_41_43_48  # "COACH": one migrator at a time on PostgreSQL
_lock = threading.Lock()


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has no schema yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade the database to head; safe to call from several processes at once."""
    with _lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database schema at %s", head_revision())


def ensure_schema(engine: Engine) -> None:
    """Upgrade only when the database is behind (one cheap query when it is not)."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def upgrade_head(settings: Settings) -> None:
    """`comeback-coach db upgrade`: migrate the configured database to the newest schema."""
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
