"""SQLAlchemy engines, for migrations and tools (requests use `database.py`)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from skill.db.database import (
    SKILL_QUERY_OPTIONS,
    SQLITE_BUSY_TIMEOUT_MS,
    STATEMENT_TIMEOUT_MS,
    normalize_url,
)

__all__ = ["make_engine", "normalize_url"]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine tuned for short requests: WAL SQLite, or a small pre-pinged pool."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # If the folder can't be made, connecting fails and the request gets an apology.
            with contextlib.suppress(OSError):
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    options = kwargs.pop("connect_args", {})
    given = parsed.query.get("options")
    server_options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    if given:
        server_options = " ".join([*([given] if isinstance(given, str) else given), server_options])
    if any(name in parsed.query for name in SKILL_QUERY_OPTIONS):
        parsed = parsed.difference_update_query(SKILL_QUERY_OPTIONS)
        url = parsed.render_as_string(hide_password=False)
    options.setdefault("options", server_options)
    options.setdefault("connect_timeout", 5)
    kwargs.setdefault("pool_size", 2)
    kwargs.setdefault("max_overflow", 3)
    kwargs.setdefault("pool_recycle", 300)
    # pre_ping costs a round trip per checkout, and buys that a connection the server,
    # a proxy or a failover dropped is replaced unnoticed instead of failing a request.
    return create_engine(url, pool_pre_ping=True, connect_args=options, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy own transactions, so BEGIN IMMEDIATE below takes the write lock
        # up front: two requests for one user then queue instead of failing to upgrade.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
