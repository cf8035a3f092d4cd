"""Bringing a database to the newest migration, on demand or on first use."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from skill.config import Settings
from skill.db.engine import make_engine

if TYPE_CHECKING:  # Alembic is imported only to migrate: it is a tenth of a cold start
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_LOCK_ID = 0x43_4F_41_43_48  # "COACH": one migrator at a time on PostgreSQL
_lock = threading.Lock()
#: The newest migration; tests/integration keeps it equal to Alembic's head.
HEAD = "0003"


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


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when it has no schema yet)."""
    with engine.connect() as conn:
        try:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no alembic_version table: an empty database
            return None
        return str(found) if found is not None else None


def upgrade(engine: Engine) -> None:
    """Upgrade the database to head; safe to call from several processes at once."""
    from alembic import command

    with _lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database schema at %s", head_revision())


def ensure_schema(engine: Engine, *, attempts: int = 3) -> None:
    """Upgrade only when the database is behind (one cheap query when it is not).

    Several processes may start on one new SQLite file at once; one migrates while the
    others wait for its lock, and a wait that runs out is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            if current_revision(engine) != HEAD:
                upgrade(engine)
            return
        except OperationalError:
            if attempt == attempts:
                raise
            log.warning("schema check failed, trying again (attempt %d)", attempt)
            time.sleep(0.2 * attempt)


def upgrade_head(settings: Settings) -> None:
    """`comeback-coach db upgrade`: migrate the configured database to the newest schema."""
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
