"""SQLAlchemy engines, for migrations and tools (requests use `database.py`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from skill.config import SKILL_QUERY_OPTIONS, normalize_url, parse_url
from skill.db.database import (
    CONNECT_TIMEOUT_SECONDS,
    STATEMENT_TIMEOUT_MS,
    sqlite_file,
    tune_sqlite,
)

__all__ = ["make_engine", "normalize_url"]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned as the request path's connections are: WAL SQLite whose transactions
    take the write lock up front, or a small pre-pinged pool with a statement timeout."""
    url = normalize_url(url)
    target = parse_url(url)
    if target.dialect == "sqlite":
        if target.path is not None:
            sqlite_file(target.path)  # its folder made
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", lambda connection, _record: tune_sqlite(connection))
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    options = f"{target.options} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    connect_args = {"options": options, "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs = {"pool_size": 2, "max_overflow": 3, "pool_recycle": 300, **kwargs}
    # pre_ping: a connection a failover dropped is replaced instead of failing a migration.
    return create_engine(
        make_url(url).difference_update_query(SKILL_QUERY_OPTIONS),
        pool_pre_ping=True,
        connect_args=connect_args,
        **kwargs,
    )
