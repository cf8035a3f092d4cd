"""The request path's database: the driver itself (sqlite3 or psycopg2), nothing in between.

SQLAlchemy and Alembic own the schema (`models.py`, `migrations/`, `migrate.py`), but a
request never imports them: `import sqlalchemy` alone takes longer than a bare ask-sdk
skill's whole cold start, and one ORM unit of work costs more than the bare skill's whole
request. A request runs at most a few short, prepared statements, written out in
`repository.py`; this module turns a `DATABASE_URL` (a SQLAlchemy URL) into connections for
them, with the same tuning the engine had: SQLite in WAL mode with `BEGIN IMMEDIATE`, and a
small PostgreSQL pool with a statement timeout that replaces connections the server dropped.

PostgreSQL is reached with psycopg2 (SQLAlchemy's default driver for `postgresql://`): it
imports in a quarter of psycopg 3's time (about 30 ms against 130 here, on every cold start),
and it sends a batch of statements as one query string, one round trip and one transaction.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    import sqlite3  # imported when a SQLite database is opened: PostgreSQL never needs it

#: Longest a single SQL statement may run on PostgreSQL before it is cancelled.
STATEMENT_TIMEOUT_MS = 5000
SQLITE_BUSY_TIMEOUT_MS = 10000
#: PostgreSQL connections: kept idle (one per gunicorn thread, so none is reopened under
#: load), at most open at once, replaced after this many seconds.
POOL_SIZE = 4
POOL_LIMIT = 5
POOL_RECYCLE_SECONDS = 300
CONNECT_TIMEOUT_SECONDS = 5

Dialect = Literal["sqlite", "postgresql"]
Params = dict[str, Any]
#: Called before each statement with (DB-API connection, SQL, parameters); may raise, or
#: return a replacement (SQL, parameters). Tests and benchmarks use it; requests don't.
ExecuteHook = Callable[[Any, str, Params], "tuple[str, Params] | None"]
#: Called when a unit of work opens a transaction ("begin") and before it commits ("commit").
TransactionHook = Callable[[], None]
HookName = Literal["execute", "begin", "commit"]


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
    prepare: bool = True  # PostgreSQL: prepare each statement on a connection at first use


#: Query options of a PostgreSQL URL that are the skill's, not libpq's. `prepare_threshold`
#: (named as psycopg 3 names it) set to `none` keeps statements from being prepared on the
#: server, for poolers that don't keep them (see PostgresDatabase).
SKILL_QUERY_OPTIONS = ("options", "prepare_threshold")
_NO_PREPARE = ("none", "off", "never", "false", "0")
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
        parts = urlsplit("postgresql://" + rest)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if scheme.lower() not in POSTGRES_SCHEMES:
            raise BadDatabaseUrl(f"unsupported PostgreSQL driver: {scheme} (use postgresql://)")
        parts = urlsplit("postgresql://" + rest)
        query = parse_qsl(parts.query, keep_blank_values=True)
        options = " ".join(v for k, v in query if k == "options")
        threshold = [v.strip().lower() for k, v in query if k == "prepare_threshold"]
        kept = urlencode([(k, v) for k, v in query if k not in SKILL_QUERY_OPTIONS])
        conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, kept, ""))
        prepare = not threshold or threshold[-1] not in _NO_PREPARE
        return Target("postgresql", conninfo=conninfo, options=options, prepare=prepare)
    raise BadDatabaseUrl(f"unsupported database: {backend}")


_NAMED = re.compile(r"(?<!:):([A-Za-z_][A-Za-z0-9_]*)")


def for_dialect(sql: str, dialect: Dialect) -> str:
    """SQL written with :name parameters, in the driver's own parameter style."""
    if dialect == "sqlite":
        return sql
    return _NAMED.sub(r"%(\1)s", sql)


class Database:
    """Connections for one DATABASE_URL, and the hooks tests use to watch statements."""

    dialect: Dialect

    def __init__(self, url: str) -> None:
        self.url = url
        self.target = parse_url(normalize_url(url))
        self.dialect = self.target.dialect
        self.execute_hooks: list[ExecuteHook] = []
        self.begin_hooks: list[TransactionHook] = []
        self.commit_hooks: list[TransactionHook] = []

    # -- hooks ------------------------------------------------------------------------------

    def _hooks(self, name: HookName) -> list[Any]:
        if name == "execute":
            return self.execute_hooks
        return self.begin_hooks if name == "begin" else self.commit_hooks

    def listen(self, name: HookName, hook: Callable[..., Any]) -> None:
        """Call `hook` before every statement ("execute"), when a transaction opens
        ("begin") or before it commits ("commit")."""
        self._hooks(name).append(hook)

    def remove(self, name: HookName, hook: Callable[..., Any]) -> None:
        """Stop calling a hook added with `listen`."""
        self._hooks(name).remove(hook)

    # -- connections ------------------------------------------------------------------------

    def checkout(self) -> Any:
        """A connection with no transaction open (give it back with `checkin`)."""
        raise NotImplementedError

    def checkin(self, connection: Any, *, broken: bool = False) -> None:
        """Return a connection; a broken one is closed instead of reused."""
        raise NotImplementedError

    def begin(self, connection: Any) -> None:
        """Open a transaction (SQLite's unit of work; PostgreSQL's BEGIN goes in its batch)."""

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        """Whether `error` means the connection is gone (so a fresh one may be tried)."""
        return False

    def in_transaction(self, connection: Any) -> bool:
        """Whether a transaction is open on the connection."""
        return bool(connection.in_transaction)

    def execute(self, connection: Any, sql: str, params: Params | None = None) -> Any:
        """Run one statement (in the driver's parameter style); its cursor."""
        return connection.execute(sql, params or {})

    def rollback(self, connection: Any) -> None:
        """ROLLBACK the transaction open on the connection."""
        connection.rollback()

    def errors(self) -> tuple[type[BaseException], ...]:
        """The driver's exception classes."""
        raise NotImplementedError

    def dispose(self) -> None:
        """Close every connection this database holds."""

    @contextlib.contextmanager
    def connect(self) -> Iterator[Any]:
        """A connection for a few statements outside the request path (health checks)."""
        connection = self.checkout()
        broken = False
        try:
            yield connection
            if self.in_transaction(connection):
                self.rollback(connection)
        except BaseException:
            broken = True
            raise
        finally:
            self.checkin(connection, broken=broken)

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self.connect() as connection:
                self.execute(connection, "SELECT 1").fetchone()
            return True
        except Exception:
            return False

    def scalar(self, sql: str, params: Params | None = None) -> Any:
        """The first column of the first row of one statement (outside the request path)."""
        with self.connect() as connection:
            row = self.execute(connection, for_dialect(sql, self.dialect), params).fetchone()
            return None if row is None else row[0]

    def bind(self, value: Any) -> Any:
        """A parameter value in the form the driver stores it."""
        return value

    def compose(
        self, connection: Any, statements: list[tuple[str, Params]], *, begin: bool, end: bool
    ) -> tuple[bytes, list[str]]:
        """A batch as one query string (PostgreSQL only)."""
        raise NotImplementedError

    def composed(self, connection: Any, new: list[str], *, ran: bool) -> None:
        """Note how a composed batch went (PostgreSQL only)."""
        raise NotImplementedError


class SqliteDatabase(Database):
    """One connection per thread (SQLite connections are cheap and not thread-safe)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.path = self.target.path
        if self.path is not None:
            # If the folder can't be made, connecting fails and the request gets an apology.
            with contextlib.suppress(OSError):
                Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        self._memory_lock = threading.RLock()

    def _open(self) -> sqlite3.Connection:
        import sqlite3

        where = ":memory:" if self.path is None else str(Path(self.path).expanduser())
        connection = sqlite3.connect(
            where,
            timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # transactions are ours: BEGIN IMMEDIATE, COMMIT
            check_same_thread=False,
        )
        connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._all.append(connection)
        return connection

    def checkout(self) -> sqlite3.Connection:
        if self.path is None:  # one private database, shared by the process's threads
            self._memory_lock.acquire()
            if self._memory is None:
                self._memory = self._open()
            return self._memory
        pid = os.getpid()
        found: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if found is None or getattr(self._local, "pid", None) != pid:  # none yet, or forked
            found = self._open()
            self._local.connection, self._local.pid = found, pid
        return found

    def checkin(self, connection: Any, *, broken: bool = False) -> None:
        if connection.in_transaction:
            connection.rollback()
        if self.path is None:
            self._memory_lock.release()
        elif broken:
            self._forget(connection)

    def _forget(self, connection: sqlite3.Connection) -> None:
        import sqlite3

        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._lock:
            if connection in self._all:
                self._all.remove(connection)
        with contextlib.suppress(sqlite3.Error):
            connection.close()

    def begin(self, connection: Any) -> None:
        # Take the write lock up front: two requests for one user then queue instead of
        # failing to upgrade a read lock.
        connection.execute("BEGIN IMMEDIATE")

    def errors(self) -> tuple[type[BaseException], ...]:
        import sqlite3

        return (sqlite3.Error,)

    def bind(self, value: Any) -> Any:
        # sqlite3's own date adapter is deprecated; store ISO text, as SQLAlchemy does.
        return value.isoformat() if isinstance(value, date) else value

    def dispose(self) -> None:
        import sqlite3

        with self._lock:
            everything, self._all = self._all, []
        for connection in everything:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()
        self._memory = None


class _Prepared(NamedTuple):
    """A statement as PostgreSQL prepares and runs it: PREPARE's text, with $1, $2... for
    the named parameters, and EXECUTE's, with the parameters in that order."""

    prepare: bytes
    execute: str


_PARAMETER = re.compile(r"%\((\w+)\)s")


def _prepared(name: str, sql: str) -> _Prepared:
    order: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        return f"${order.setdefault(match.group(1), len(order) + 1)}"

    text = _PARAMETER.sub(number, sql)
    arguments = ", ".join(f"%({key})s" for key in order)
    return _Prepared(
        f"PREPARE {name} AS {text}".encode(),
        f"EXECUTE {name}({arguments})" if order else f"EXECUTE {name}",
    )


class PostgresDatabase(Database):
    """A small pool of psycopg2 connections in autocommit mode (the unit of work sends BEGIN
    and COMMIT itself, in the same round trip as its statements), each with a statement
    timeout.

    Each statement is prepared on a connection the first time that connection runs it
    (PREPARE and EXECUTE in one query string): the server then parses and plans it once per
    connection instead of at every request, about half the cost of a request's read.
    `?prepare_threshold=none` in the URL turns that off, for poolers that don't keep a
    session's prepared statements (PgBouncer before 1.21 in transaction mode) or pin a
    session that has them (RDS Proxy)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._idle: queue.LifoQueue[tuple[Any, float]] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(POOL_LIMIT)
        self._pid = os.getpid()
        self._opened: dict[int, float] = {}
        #: Statement text → its prepared form, for every connection of the process.
        self._statements: dict[str, _Prepared] = {}
        self._statements_lock = threading.Lock()
        #: Per connection: the statements prepared on it, or None when unknown (a batch that
        #: prepared something failed part way), in which case the next batch starts afresh.
        self._prepared: dict[int, set[str] | None] = {}
        options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        self._options = f"{self.target.options} {options}".strip()

    def _open(self) -> Any:
        import psycopg2

        connection = psycopg2.connect(
            self.target.conninfo or "",
            options=self._options,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        connection.autocommit = True
        self._opened[id(connection)] = time.monotonic()
        self._prepared[id(connection)] = set()
        return connection

    def checkout(self) -> Any:
        if os.getpid() != self._pid:  # forked: the parent's connections are not ours
            self._idle = queue.LifoQueue()
            self._slots = threading.BoundedSemaphore(POOL_LIMIT)
            self._opened, self._prepared = {}, {}
            self._pid = os.getpid()
        if not self._slots.acquire(timeout=CONNECT_TIMEOUT_SECONDS):
            raise DatabaseError("no database connection free")
        try:
            while True:
                try:
                    connection, opened = self._idle.get_nowait()
                except queue.Empty:
                    return self._open()
                if connection.closed or time.monotonic() - opened > POOL_RECYCLE_SECONDS:
                    self._close(connection)
                    continue
                return connection
        except BaseException:
            self._slots.release()
            raise

    def checkin(self, connection: Any, *, broken: bool = False) -> None:
        try:
            if broken or connection.closed:
                self._close(connection)
                return
            if self.in_transaction(connection):  # end what is open
                try:
                    self.rollback(connection)
                except Exception:
                    self._close(connection)
                    return
            if self._idle.qsize() < POOL_SIZE:
                self._idle.put((connection, self._opened.get(id(connection), 0.0)))
            else:
                self._close(connection)
        finally:
            self._slots.release()

    def _close(self, connection: Any) -> None:
        self._opened.pop(id(connection), None)
        self._prepared.pop(id(connection), None)
        with contextlib.suppress(Exception):
            connection.close()

    def _statement(self, sql: str) -> _Prepared:
        found = self._statements.get(sql)
        if found is None:
            with self._statements_lock:
                found = self._statements.get(sql)
                if found is None:
                    found = _prepared(f"coach_{len(self._statements) + 1}", sql)
                    self._statements[sql] = found
        return found

    def compose(
        self, connection: Any, statements: list[tuple[str, Params]], *, begin: bool, end: bool
    ) -> tuple[bytes, list[str]]:
        """One query string for a batch (BEGIN, the statements, COMMIT), and the statements
        it prepares on the connection: pass them to `composed` once the batch has run."""
        cursor = connection.cursor()
        head: list[bytes] = []  # DEALLOCATE and PREPAREs: outside any transaction we open
        body: list[bytes] = []
        new: list[str] = []
        if not self.target.prepare:
            body = [cursor.mogrify(sql, params) for sql, params in statements]
        else:
            known = self._prepared.get(id(connection), set())
            if known is None:  # unknown after a failure: start from none
                head.append(b"DEALLOCATE ALL")
                known = self._prepared[id(connection)] = set()
            for sql, params in statements:
                statement = self._statement(sql)
                if sql not in known and sql not in new:
                    head.append(statement.prepare)  # not transactional: kept after a ROLLBACK
                    new.append(sql)
                body.append(cursor.mogrify(statement.execute, params))
        if begin:
            body.insert(0, b"BEGIN")
        if end:
            body.append(b"COMMIT")
        return b"; ".join(head + body), new

    def composed(self, connection: Any, new: list[str], *, ran: bool) -> None:
        """Note what a batch prepared: all of it when it ran. When it failed, nothing is
        known any more (a PREPARE before the failure may have run; or the failure may be
        a prepared statement gone from the server), and the next batch starts afresh."""
        if not ran:
            self._prepared[id(connection)] = None
        elif new:
            known = self._prepared.setdefault(id(connection), set())
            if known is not None:
                known.update(new)

    def in_transaction(self, connection: Any) -> bool:
        # psycopg2's TRANSACTION_STATUS_IDLE is 0; a dead connection reports 4 (unknown).
        return bool(connection.info.transaction_status != 0)

    def execute(self, connection: Any, sql: str, params: Params | None = None) -> Any:
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor

    def rollback(self, connection: Any) -> None:
        # In autocommit mode psycopg2's own rollback() sends nothing.
        connection.cursor().execute("ROLLBACK")

    def is_disconnect(self, connection: Any, error: BaseException) -> bool:
        import psycopg2

        return isinstance(error, psycopg2.OperationalError | psycopg2.InterfaceError) and bool(
            connection.closed
        )

    def errors(self) -> tuple[type[BaseException], ...]:
        import psycopg2

        return (psycopg2.Error,)

    def dispose(self) -> None:
        while True:
            try:
                connection, _opened = self._idle.get_nowait()
            except queue.Empty:
                return
            self._close(connection)


def make_database(url: str) -> Database:
    """The database a DATABASE_URL names (nothing is connected until it is used)."""
    target = parse_url(normalize_url(url))
    if target.dialect == "sqlite":
        return SqliteDatabase(url)
    return PostgresDatabase(url)
