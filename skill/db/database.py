"""Connections for the request path: sqlite3 or psycopg2 itself, a small pool, a deadline.

A request never imports SQLAlchemy (it alone takes longer than a bare ask-sdk skill's whole
cold start), and psycopg2 imports in a quarter of psycopg 3's time. What this adds to the
drivers: a pool that, when a connection turns out dead (a failover, a restart), drops every
idle one too, as SQLAlchemy's pool does; and a deadline, so no wait on the database outlasts
`REQUEST_BUDGET_SECONDS` (below Alexa's 8 s) and a hung server gets the spoken apology.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import select
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from skill.config import Dialect, normalize_url, parse_url  # DATABASE_URL's reading

#: Longest a request (a use case, its reruns included) may wait on the database: < Alexa's 8 s.
REQUEST_BUDGET_SECONDS = 6.0
#: Longest a health check waits on the database: /healthz answers within 2 s.
HEALTH_BUDGET_SECONDS = 1.0
#: Longest one PostgreSQL statement may run on the server before it cancels it.
STATEMENT_TIMEOUT_MS = 5000
#: Longest SQLite waits for another process's write lock (inside the budget).
SQLITE_BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_SECONDS = 3
#: Connections kept idle (one per gunicorn thread), at most open, replaced after (seconds).
POOL_SIZE = 4
POOL_LIMIT = 5
POOL_RECYCLE_SECONDS = 300

Params = dict[str, Any]
Opener = Callable[[], Any]


class DatabaseError(Exception):
    """A database failure on the request path (the driver's own error is its cause); its
    message is `describe(cause)`, never the driver's text."""


def describe(error: BaseException) -> str:
    """An error as a log line may name it: its class and those of its causes, with the
    SQLSTATE of a database error ("DatabaseError <- OperationalError SQLSTATE 57P01").
    Never a message: a driver's names the host, the port, and sometimes the values sent."""
    names: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(names) < 5:
        seen.add(id(current))
        name = type(current).__name__
        if code := getattr(current, "pgcode", None):
            name += f" SQLSTATE {code}"
        elif code := getattr(current, "sqlite_errorname", None):
            name += f" {code}"  # SQLite's own code, e.g. SQLITE_BUSY
        names.append(name)
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        nxt = orig if isinstance(orig, BaseException) else current.__cause__
        current = nxt or current.__context__
    return " <- ".join(names)


_NAMED = re.compile(r"(?<!:):([A-Za-z_][A-Za-z0-9_]*)")


def for_dialect(sql: str, dialect: Dialect) -> str:
    """SQL written with :name parameters, in the driver's own parameter style."""
    return sql if dialect == "sqlite" else _NAMED.sub(r"%(\1)s", sql)


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


@functools.cache
def _deadline_passed() -> type[Exception]:
    """psycopg2's OperationalError for a wait given up at the deadline (named in the logs;
    made on first use: psycopg2 is imported only for a PostgreSQL URL)."""
    import psycopg2

    return type("DeadlinePassed", (psycopg2.OperationalError,), {"__module__": __name__})


def _wait(connection: Any) -> None:
    """psycopg2's wait callback: select() on the socket, giving up at the deadline (the
    driver then closes the connection)."""
    from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE

    while True:
        state = connection.poll()
        if state == POLL_OK:
            return
        left = time_left()
        if left is not None and left <= 0:
            raise _deadline_passed()("the request's database deadline passed")
        fd = connection.fileno()
        if state == POLL_READ:
            select.select([fd], [], [], left)
        elif state == POLL_WRITE:
            select.select([], [fd], [], left)


class Pool:
    """At most `limit` connections open, up to `size` of them kept idle for the next
    request. `discard_idle` closes every idle one and marks those in use to be closed when
    they come back: after one turned out dead, the others are likely dead too."""

    def __init__(self, opener: Callable[[], Any], size: int, limit: int, recycle: float) -> None:
        self.opener, self.size, self.limit, self.recycle = opener, size, limit, recycle
        self._reset()

    def _reset(self) -> None:
        self._pid, self._generation = os.getpid(), 0
        self._idle: list[Any] = []
        self._born: dict[int, tuple[float, int]] = {}  # id → opened at, generation
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limit)

    def get(self) -> Any:
        """A connection (give it back with `put`); waits for a free one until the deadline."""
        if os.getpid() != self._pid:  # forked: the parent's connections are not ours
            self._reset()
        left = time_left()
        if not self._slots.acquire(
            timeout=CONNECT_TIMEOUT_SECONDS if left is None else max(0, left)
        ):
            raise DatabaseError("no database connection free")
        try:
            with self._lock:
                while self._idle:
                    connection = self._idle.pop()
                    if self._fresh(connection):
                        return connection
                    self._close(connection)
            connection = self.opener()
            with self._lock:
                self._born[id(connection)] = (time.monotonic(), self._generation)
            return connection
        except BaseException:
            self._slots.release()
            raise

    def _fresh(self, connection: Any) -> bool:
        opened, generation = self._born.get(id(connection), (0.0, -1))
        return generation == self._generation and time.monotonic() - opened < self.recycle

    def put(self, connection: Any, *, broken: bool = False) -> None:
        """Give a connection back; a broken, closed (psycopg2 closes one whose wait was
        given up) or outdated one is closed instead, never kept."""
        broken = broken or bool(getattr(connection, "closed", False))
        with self._lock:
            if not broken and self._fresh(connection) and len(self._idle) < self.size:
                self._idle.append(connection)
            else:
                self._close(connection)
        self._slots.release()

    def discard_idle(self) -> None:
        """Close every idle connection; those in use are closed when they come back."""
        with self._lock:
            self._generation += 1
            while self._idle:
                self._close(self._idle.pop())

    def _close(self, connection: Any) -> None:
        self._born.pop(id(connection), None)
        with contextlib.suppress(Exception):
            connection.close()


class Database:
    """One DATABASE_URL: its dialect, its driver's errors, and a pool of its connections.

    `opener` makes one driver connection; tests may wrap it to watch or break statements
    (then `dispose()`, so pooled connections are opened anew through it)."""

    dialect: Dialect
    errors: tuple[type[BaseException], ...]
    #: How a unit of work opens a transaction it will write in.
    begin_sql = "BEGIN"

    def __init__(self, url: str, opener: Opener | None = None) -> None:
        self.url = url
        self.target = parse_url(normalize_url(url))
        self.opener: Opener = opener or self._open
        # A private in-memory SQLite database lives in its one connection.
        memory = self.target.dialect == "sqlite" and self.target.path is None
        shape = (1, 1, float("inf")) if memory else (POOL_SIZE, POOL_LIMIT, POOL_RECYCLE_SECONDS)
        self.pool = Pool(lambda: self.opener(), *shape)

    def _open(self) -> Any:
        raise NotImplementedError

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        """Whether `error` means the connection is gone (a fresh one may work)."""
        return False

    def bind(self, params: Params | None) -> Params:
        return params or {}  # the driver takes every value as it is

    def checkout(self) -> Any:
        """A pooled connection, in autocommit mode: transactions are the unit of work's."""
        try:
            return self.pool.get()
        except self.errors as exc:
            raise DatabaseError(describe(exc)) from exc

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row of one statement (outside the request path)."""
        from skill.db.uow import unit_of_work  # which runs statements on this database

        with unit_of_work(self) as uow:
            row = uow.execute(for_dialect(sql, self.dialect), params).fetchone()
            return None if row is None else row[0]

    def ping(self) -> bool:
        """Whether the database answers within `HEALTH_BUDGET_SECONDS` (a dead pooled
        connection is replaced on the way; a hung server or a full pool is a no)."""
        try:
            with deadline(HEALTH_BUDGET_SECONDS):
                return bool(self.scalar("SELECT 1") == 1)
        except Exception:
            return False

    def dispose(self) -> None:
        """Close every idle connection (a forked or reconfigured process opens new ones)."""
        self.pool.discard_idle()


class SqliteDatabase(Database):
    """A file in WAL mode; writers take the write lock up front (BEGIN IMMEDIATE), so two
    requests for one user queue instead of failing to upgrade a read lock."""

    dialect: Dialect = "sqlite"
    begin_sql = "BEGIN IMMEDIATE"

    def __init__(self, url: str, opener: Opener | None = None) -> None:
        import sqlite3

        super().__init__(url, opener)
        self.errors = (sqlite3.Error,)

    def _open(self) -> Any:
        import sqlite3

        where = sqlite_file(self.target.path) if self.target.path else ":memory:"
        connection = sqlite3.connect(
            where, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        tune_sqlite(connection)
        return connection

    def bind(self, params: Params | None) -> Params:
        # sqlite3's own date adapter is deprecated; store ISO text, as SQLAlchemy does.
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in (params or {}).items()}


def sqlite_file(path: str) -> str:
    """The file of a SQLite URL, its folder made if need be (if it can't be, connecting
    fails and the request gets an apology)."""
    file = Path(path).expanduser()
    with contextlib.suppress(OSError):
        file.parent.mkdir(parents=True, exist_ok=True)
    return str(file)


def tune_sqlite(connection: Any) -> None:
    """Every SQLite connection's settings: autocommit (BEGIN and COMMIT are ours), the busy
    timeout, foreign keys, WAL (readers never wait for the writer)."""
    connection.isolation_level = None
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


class PostgresDatabase(Database):
    """psycopg2 connections in autocommit mode, each with a statement timeout."""

    dialect: Dialect = "postgresql"

    def __init__(self, url: str, opener: Opener | None = None) -> None:
        import psycopg2
        from psycopg2.extensions import set_wait_callback

        super().__init__(url, opener)
        self.errors = (psycopg2.Error,)
        timeout = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        self._options = f"{self.target.options} {timeout}".strip()
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

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        import psycopg2

        dropped = isinstance(error, psycopg2.OperationalError | psycopg2.InterfaceError)
        return dropped and bool(getattr(connection, "closed", True))


def make_database(url: str, opener: Opener | None = None) -> Database:
    """The database a DATABASE_URL names (nothing is connected until it is used)."""
    if parse_url(normalize_url(url)).dialect == "sqlite":
        return SqliteDatabase(url, opener)
    return PostgresDatabase(url, opener)
