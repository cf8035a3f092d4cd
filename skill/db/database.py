"""Connections for the request path: sqlite3 or psycopg2 itself, a small pool, a deadline.

SQLAlchemy and Alembic own the schema (`models.py`, `migrations/`, `migrate.py`), but a
request never imports them: `import sqlalchemy` alone takes longer than a bare ask-sdk
skill's whole cold start. psycopg2 (not psycopg 3) for the same reason: it imports in a
quarter of the time, on every cold start.

What this module adds to the drivers, and nothing more:
- a pool (a few idle connections, a cap on open ones). When a pooled PostgreSQL connection
  turns out dead (a failover, a restart, pg_terminate_backend), every idle one is thrown
  away too, as SQLAlchemy's pool does, and the unit of work retries once on a fresh one;
- a deadline: no wait on the database outlasts `REQUEST_BUDGET_SECONDS` (below Alexa's 8 s),
  so a hung server gets the spoken apology instead of silence. psycopg2 waits through a
  wait callback that gives up at the deadline (the connection is then closed, never
  pooled again); SQLite's busy timeout is inside the budget.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

#: Longest a request may wait on the database in all (one unit of work), below Alexa's 8 s.
REQUEST_BUDGET_SECONDS = 6.0
#: Longest one PostgreSQL statement may run on the server before it cancels it.
STATEMENT_TIMEOUT_MS = 5000
#: Longest SQLite waits for another process's write lock (inside the budget).
SQLITE_BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_SECONDS = 3
#: Connections kept idle (one per gunicorn thread), at most open at once, and replaced
#: after this many seconds.
POOL_SIZE = 4
POOL_LIMIT = 5
POOL_RECYCLE_SECONDS = 300

Dialect = Literal["sqlite", "postgresql"]
Params = dict[str, Any]
Opener = Callable[[], Any]


class DatabaseError(Exception):
    """A database failure on the request path (the driver's own error is its cause)."""


class BadDatabaseUrl(ValueError):
    """DATABASE_URL names a database this skill cannot use."""


class Target(NamedTuple):
    """Where a DATABASE_URL points."""

    dialect: Dialect
    path: str | None = None  # SQLite: a file, or None for a private in-memory database
    conninfo: str | None = None  # PostgreSQL: a libpq URI
    options: str = ""  # PostgreSQL: server options given in the URL


#: Query options of a PostgreSQL URL that are the skill's, not libpq's. `prepare_threshold`
#: (psycopg 3's, for poolers) is accepted and ignored: nothing is prepared any more.
SKILL_QUERY_OPTIONS = ("options", "prepare_threshold")
#: PostgreSQL URLs name a driver; every one of these is served with psycopg2, the one shipped.
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg")


def normalize_url(url: str) -> str:
    """A PostgreSQL URL in SQLAlchemy's spelling for psycopg2, the driver we ship (for
    `postgres://`, `postgresql://` and URLs written for psycopg 3); others as given."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in POSTGRES_SCHEMES:
        return "postgresql+psycopg2://" + rest
    return url


def parse_url(url: str) -> Target:
    """Read a SQLAlchemy database URL (sqlite:///file, postgresql://...)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise BadDatabaseUrl("DATABASE_URL has no scheme")
    backend = scheme.split("+", 1)[0].lower()
    if backend == "sqlite":
        # sqlite:///relative, sqlite:////absolute, sqlite:// (in memory)
        path = unquote(rest.split("?", 1)[0])
        if path.startswith("/"):
            path = path[1:]
        return Target("sqlite", path=None if path in ("", ":memory:") else path)
    if backend in ("postgresql", "postgres"):
        if scheme.lower() not in POSTGRES_SCHEMES:
            raise BadDatabaseUrl(f"unsupported PostgreSQL driver: {scheme} (use postgresql://)")
        parts = urlsplit("postgresql://" + rest)
        query = parse_qsl(parts.query, keep_blank_values=True)
        options = " ".join(v for k, v in query if k == "options")
        kept = urlencode([(k, v) for k, v in query if k not in SKILL_QUERY_OPTIONS])
        conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, kept, ""))
        return Target("postgresql", conninfo=conninfo, options=options)
    raise BadDatabaseUrl(f"unsupported database: {backend}")


_NAMED = re.compile(r"(?<!:):([A-Za-z_][A-Za-z0-9_]*)")


def for_dialect(sql: str, dialect: Dialect) -> str:
    """SQL written with :name parameters, in the driver's own parameter style."""
    return sql if dialect == "sqlite" else _NAMED.sub(r"%(\1)s", sql)


# -- the deadline ---------------------------------------------------------------------------

_local = threading.local()


@contextlib.contextmanager
def deadline(seconds: float = REQUEST_BUDGET_SECONDS) -> Iterator[None]:
    """Bound every wait on the database in this thread until the block ends (an inner
    block never extends an outer one)."""
    outer: float | None = getattr(_local, "deadline", None)
    mine = time.monotonic() + seconds
    _local.deadline = mine if outer is None else min(outer, mine)
    try:
        yield
    finally:
        _local.deadline = outer


def time_left() -> float | None:
    """Seconds until this thread's deadline (None: no deadline)."""
    at: float | None = getattr(_local, "deadline", None)
    return None if at is None else at - time.monotonic()


def _wait(connection: Any) -> None:
    """psycopg2's wait callback: wait for the socket with select(), up to the deadline."""
    import psycopg2
    from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE

    while True:
        state = connection.poll()
        if state == POLL_OK:
            return
        left = time_left()
        if left is not None and left <= 0:
            raise psycopg2.OperationalError("the request's database deadline passed")
        fd = connection.fileno()
        if state == POLL_READ:
            select.select([fd], [], [], left)
        elif state == POLL_WRITE:
            select.select([], [fd], [], left)
        else:  # pragma: no cover - psycopg2 documents no other state
            raise psycopg2.OperationalError(f"unexpected poll state {state}")


# -- the pool -------------------------------------------------------------------------------


class Pool:
    """At most `limit` connections open, up to `size` of them kept idle for the next
    request. `discard_idle` closes every idle one and marks those in use to be closed when
    they come back: after one turned out dead, the others are likely dead too."""

    def __init__(self, opener: Callable[[], Any], size: int, limit: int, recycle: float) -> None:
        self.opener = opener
        self.size, self.limit, self.recycle = size, limit, recycle
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._idle: list[tuple[Any, float, int]] = []  # connection, opened at, generation
        self._born: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limit)
        self._generation = 0

    def get(self) -> Any:
        """A connection (give it back with `put`); waits for a free one until the deadline."""
        if os.getpid() != self._pid:  # forked: the parent's connections are not ours
            self._reset()
        left = time_left()
        wait = CONNECT_TIMEOUT_SECONDS if left is None else max(0.0, left)
        if not self._slots.acquire(timeout=wait):
            raise DatabaseError("no database connection free")
        try:
            with self._lock:
                while self._idle:
                    connection, opened, generation = self._idle.pop()
                    if self._fresh(opened, generation):
                        return connection
                    self._close(connection)
            connection = self.opener()
            with self._lock:
                self._born[id(connection)] = (time.monotonic(), self._generation)
            return connection
        except BaseException:
            self._slots.release()
            raise

    def _fresh(self, opened: float, generation: int) -> bool:
        return generation == self._generation and time.monotonic() - opened < self.recycle

    def put(self, connection: Any, *, broken: bool = False) -> None:
        """Give a connection back; a broken (or outdated) one is closed instead."""
        with self._lock:
            opened, generation = self._born.get(id(connection), (0.0, -1))
            if not broken and self._fresh(opened, generation) and len(self._idle) < self.size:
                self._idle.append((connection, opened, generation))
            else:
                self._close(connection)
        self._slots.release()

    def discard_idle(self) -> None:
        """Close every idle connection; those in use are closed when they come back."""
        with self._lock:
            self._generation += 1
            while self._idle:
                self._close(self._idle.pop()[0])

    def _close(self, connection: Any) -> None:
        self._born.pop(id(connection), None)
        with contextlib.suppress(Exception):
            connection.close()


# -- the databases --------------------------------------------------------------------------


class Database:
    """One DATABASE_URL: its dialect, a pool of driver connections, and how to use them.

    `opener` makes one driver connection; tests may wrap it to watch or break statements
    (then `dispose()`, so pooled connections are opened anew through it)."""

    dialect: Dialect
    #: How a unit of work opens a transaction it will write in.
    begin_sql = "BEGIN"

    def __init__(self, url: str, opener: Opener | None = None) -> None:
        self.url = url
        self.target = parse_url(normalize_url(url))
        self.opener: Opener = opener or self._open
        self.pool = Pool(lambda: self.opener(), *self._pool_shape())

    def _pool_shape(self) -> tuple[int, int, float]:
        return POOL_SIZE, POOL_LIMIT, POOL_RECYCLE_SECONDS

    def _open(self) -> Any:
        raise NotImplementedError

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes."""
        raise NotImplementedError

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        """Whether `error` means the connection is gone (a fresh one may work)."""
        return False

    def bind(self, params: Params | None) -> Params:
        """Parameters in the form the driver stores them."""
        return params or {}

    def checkout(self) -> Any:
        """A pooled connection, in autocommit mode: transactions are the unit of work's."""
        try:
            return self.pool.get()
        except self.errors() as exc:
            raise DatabaseError(type(exc).__name__) from exc

    def checkin(self, connection: Any, *, broken: bool = False) -> None:
        """Give a connection back to the pool; a broken one is closed."""
        self.pool.put(connection, broken=broken)

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection for a statement or two outside a request (health, schema checks)."""
        connection = self.checkout()
        broken = False
        try:
            yield connection
        except self.errors() as exc:
            broken = self.is_disconnect(connection, exc)
            if broken:
                self.pool.discard_idle()
            raise
        finally:
            self.checkin(connection, broken=broken)

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row of one statement (outside the request path)."""
        with deadline(), self.connect() as connection:
            cursor = connection.cursor()
            cursor.execute(for_dialect(sql, self.dialect), self.bind(params))
            row = cursor.fetchone()
            return None if row is None else row[0]

    def ping(self) -> bool:
        """Whether the database answers (a dead pooled connection is replaced, once)."""
        for _attempt in range(2):
            try:
                return bool(self.scalar("SELECT 1") == 1)
            except Exception:
                continue
        return False

    def dispose(self) -> None:
        """Close every idle connection (a forked or reconfigured process opens new ones)."""
        self.pool.discard_idle()


class SqliteDatabase(Database):
    """A file in WAL mode; writers take the write lock up front (BEGIN IMMEDIATE), so two
    requests for one user queue instead of failing to upgrade a read lock."""

    dialect: Dialect = "sqlite"
    begin_sql = "BEGIN IMMEDIATE"

    def _pool_shape(self) -> tuple[int, int, float]:
        if self.target.path is None:  # a private in-memory database lives in its connection
            return 1, 1, float("inf")
        return super()._pool_shape()

    def _open(self) -> Any:
        import sqlite3

        where = ":memory:"
        if self.target.path is not None:
            path = Path(self.target.path).expanduser()
            # If the folder can't be made, connecting fails and the request gets an apology.
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
            where = str(path)
        connection = sqlite3.connect(
            where,
            timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit: BEGIN and COMMIT are the unit of work's
            check_same_thread=False,
        )
        connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if self.target.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def errors(self) -> tuple[type[BaseException], ...]:
        import sqlite3

        return (sqlite3.Error,)

    def bind(self, params: Params | None) -> Params:
        # sqlite3's own date adapter is deprecated; store ISO text, as SQLAlchemy does.
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in (params or {}).items()}


class PostgresDatabase(Database):
    """psycopg2 connections in autocommit mode, each with a statement timeout."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, opener: Opener | None = None) -> None:
        super().__init__(url, opener)
        timeout = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        self._options = f"{self.target.options} {timeout}".strip()
        from psycopg2.extensions import set_wait_callback

        set_wait_callback(_wait)  # process-wide: our deadline bounds every psycopg2 wait

    def _open(self) -> Any:
        import psycopg2

        connection = psycopg2.connect(
            self.target.conninfo or "",
            options=self._options,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        connection.autocommit = True
        return connection

    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg2

        return (psycopg2.Error,)

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        import psycopg2

        dropped = isinstance(error, psycopg2.OperationalError | psycopg2.InterfaceError)
        return dropped and bool(getattr(connection, "closed", True))


def make_database(url: str, opener: Opener | None = None) -> Database:
    """The database a DATABASE_URL names (nothing is connected until it is used)."""
    if parse_url(normalize_url(url)).dialect == "sqlite":
        return SqliteDatabase(url, opener)
    return PostgresDatabase(url, opener)
