"""Throwaway PostgreSQL schemas, for the tests and the benchmarks."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import create_engine, text

from skill.db.database import Database
from skill.db.engine import normalize_url


@contextlib.contextmanager
def private_schema(base_url: str, prefix: str = "t") -> Iterator[str]:
    """A new schema on the server at `base_url`, dropped afterwards; yields a URL whose
    connections use it (through `search_path`)."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


#: Sees a statement on its way to the database: (DB-API connection, SQL, parameters). It may
#: raise, or return a replacement (SQL, parameters).
OnStatement = Callable[[Any, str, Any], "tuple[str, Any] | None"]
#: What the unit of work sends around the statements it was asked for.
TRANSACTION_CONTROL = ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")


class _Cursor:
    def __init__(self, raw: Any, connection: Any, on_statement: OnStatement) -> None:
        self._raw, self._connection, self._on = raw, connection, on_statement

    def execute(self, sql: str, params: Any = None) -> _Cursor:
        replaced = self._on(self._connection, sql, params)
        if replaced is not None:
            sql, params = replaced
        self._raw.execute(sql, params if params is not None else ())
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Connection:
    def __init__(self, raw: Any, on_statement: OnStatement) -> None:
        self._raw, self._on = raw, on_statement

    def cursor(self) -> _Cursor:
        return _Cursor(self._raw.cursor(), self._raw, self._on)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


@contextlib.contextmanager
def watching(database: Database, on_statement: OnStatement) -> Iterator[None]:
    """Every statement the database's connections run passes `on_statement` first: the
    connections it opens are wrapped (pooled ones are dropped, so new ones are opened)."""
    opener = database.opener
    database.opener = lambda: _Connection(opener(), on_statement)
    database.dispose()
    try:
        yield
    finally:
        database.opener = opener
        database.dispose()
