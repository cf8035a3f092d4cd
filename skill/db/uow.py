"""The unit of work: one transaction per request, rolled back unless a service commits."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self

from skill.db.database import Database, DatabaseError, Params
from skill.db.repository import Repository

#: The SQLSTATE of PostgreSQL's guarded UPDATE when the user changed (migration 0005).
SERIALIZATION_FAILURE = "40001"


class Conflict(Exception):
    """Another request wrote this user between our read and our write (nothing of ours was
    written); run the use case again."""


class Runner(Protocol):
    """How the repository's statements reach the database."""

    @property
    def locking(self) -> bool:
        """Whether reads run in a transaction, where a user's row can be locked."""

    def read(self, sql: str, params: Params) -> Any:
        """Run a query now and return its cursor."""

    def create(self, sql: str, params: Params) -> Any:
        """Run a write whose result is needed now (INSERT … RETURNING)."""

    def write(self, sql: str, params: Params, *, guard: bool = False) -> None:
        """Run a write, now or at commit; a `guard` must change exactly one row, or the
        unit of work raises Conflict."""


class UnitOfWork(Protocol):
    """What a service needs: a repository and an explicit commit."""

    repo: Repository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def pause(self) -> bool: ...

    def lock_reads(self) -> None: ...


def unit_of_work(database: Database) -> SqlUnitOfWork:
    """A fresh unit of work on the database."""
    return SqlUnitOfWork(database)


class SqlUnitOfWork:
    """One request's work on one connection, taken at the first statement and given back
    when the work ends (so none is held while an Alexa API is called).

    Questions (launch, streak, tip...) read outside a transaction: one statement, no lock,
    and readers never queue behind writers. Writes wait for the commit, which sends them
    together (on PostgreSQL as one query string: one round trip): BEGIN (IMMEDIATE on
    SQLite), the user's UPDATE guarded by the revision it was read with, the day writes
    (which happen only if that UPDATE did), COMMIT. If another request wrote the user in
    between, nothing of ours was written and `Conflict` says to run the use case again (on
    PostgreSQL the guarded UPDATE fails with SQLSTATE 40001 and the whole batch rolls back;
    on SQLite its row count says so).

    Commands (`lock_reads`) and every run after a conflict read inside the transaction,
    locking the user's row (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE locks the file):
    overlapping commands for one user apply in the order they arrived, and a second run
    waits its turn instead of racing again."""

    repo: Repository

    def __init__(self, database: Database) -> None:
        self._db = database
        self._errors = database.errors()
        self._pg = database.dialect == "postgresql"
        self._connection: Any = None
        self._writes: list[tuple[str, Params, bool]] = []
        self._in_transaction = False
        self._lock_on_read = False
        self._created = False  # a write already sent (INSERT … RETURNING) in this transaction

    def __enter__(self) -> Self:
        self.repo = Repository(self, self._db.dialect)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    # -- the repository's statements --------------------------------------------------------

    def lock_reads(self) -> None:
        """Read inside the transaction from now on, locking the users read."""
        self._lock_on_read = True

    @property
    def locking(self) -> bool:
        """Whether reads run in a transaction (outside one, FOR UPDATE would only cost: it
        makes PostgreSQL write a lock and flush a commit record for a plain read)."""
        return self._lock_on_read or self._in_transaction

    def read(self, sql: str, params: Params) -> Any:
        """Run a query now: outside a transaction, or inside one when reads lock."""
        begin = self._lock_on_read and not self._in_transaction
        return self._send([(sql, params)], begin=begin, end=False)[0]

    def create(self, sql: str, params: Params) -> Any:
        """Run a write whose result is needed now, opening the transaction with it."""
        self._created = True
        return self._send([(sql, params)], begin=not self._in_transaction, end=False)[0]

    def write(self, sql: str, params: Params, *, guard: bool = False) -> None:
        """Keep the write for the commit."""
        self._writes.append((sql, params, guard))

    # -- ending -----------------------------------------------------------------------------

    def commit(self) -> None:
        """Write everything and COMMIT at once; Conflict if a guard found the user written
        by someone else (then nothing was written)."""
        try:
            self.repo.flush()
            if self._writes or self._in_transaction:
                guards = [(sql, params) for sql, params, guard in self._writes if guard]
                rest = [(sql, params) for sql, params, guard in self._writes if not guard]
                self._writes = []
                cursors = self._send(guards + rest, begin=not self._in_transaction, end=True)
                if not self._pg and any(cursor.rowcount != 1 for cursor in cursors[: len(guards)]):
                    self._lock_on_read = True  # for the use case's next run
                    raise Conflict("the user changed since it was read")
        except BaseException:
            self.rollback()
            raise
        self.repo.forget()
        self._created = False
        self._end()

    def rollback(self) -> None:
        """Drop the request's changes and end its transaction."""
        self.repo.forget()
        self._writes = []
        self._created = False
        connection = self._connection
        if connection is None:
            return
        if self._in_transaction or self._db.in_transaction(connection):
            self._in_transaction = False
            try:
                self._db.rollback(connection)
            except self._errors:
                self._end(broken=True)
                return
        self._end()

    def pause(self) -> bool:
        """Hold no lock and no connection while the caller waits on something slow (an
        Alexa API call). What was read stays the basis of the commit: its guard finds out
        if someone wrote the user meanwhile, so nothing needs reading again (False). Only
        a row this unit of work already created would be lost; then it says True."""
        if self._created:
            self.rollback()
            return True
        if self._in_transaction:  # it has only read: nothing is written before the commit
            self._in_transaction = False
            try:
                self._db.rollback(self._connection)
            except self._errors:
                self._end(broken=True)
                return False
        self._end()
        return False

    # -- the wire ---------------------------------------------------------------------------

    def _connect(self) -> tuple[Any, bool]:
        if self._connection is not None:
            return self._connection, False
        try:
            self._connection = self._db.checkout()
        except self._errors as exc:
            raise DatabaseError(type(exc).__name__) from exc
        for hook in self._db.begin_hooks:
            hook()
        return self._connection, True

    def _end(self, *, broken: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._db.checkin(connection, broken=broken)

    def _send(self, statements: list[tuple[str, Params]], *, begin: bool, end: bool) -> list[Any]:
        """Run statements as one batch (one round trip on PostgreSQL); their cursors.

        A pooled connection the server dropped fails at once; when nothing has been sent on
        it in this unit of work, the batch is sent again on a new connection."""
        connection, fresh = self._connect()
        while True:
            try:
                return self._batch(connection, statements, begin=begin, end=end)
            except self._errors as exc:
                if end and self._pg and getattr(exc, "pgcode", None) == SERIALIZATION_FAILURE:
                    # The guarded UPDATE found the user written by someone else: the
                    # batch rolled back (and an open transaction is rolled back next).
                    self._lock_on_read = True  # for the use case's next run
                    raise Conflict("the user changed since it was read") from exc
                self._in_transaction = False
                disconnected = self._db.is_disconnect(connection, exc)
                if fresh and disconnected:
                    self._end(broken=True)
                    connection, fresh = self._connect()[0], False
                    continue
                self._end(broken=disconnected)
                raise DatabaseError(type(exc).__name__) from exc

    def _batch(
        self, connection: Any, statements: list[tuple[str, Params]], *, begin: bool, end: bool
    ) -> list[Any]:
        hooked = [self._hooked(connection, sql, params) for sql, params in statements]
        if end:
            for hook in self._db.commit_hooks:
                hook()
        if not self._pg:
            if begin:
                self._db.begin(connection)
                self._in_transaction = True
            bind = self._db.bind
            cursors = [
                connection.execute(sql, {k: bind(v) for k, v in params.items()})
                for sql, params in hooked
            ]
            if end:
                connection.commit()
                self._in_transaction = False
            return cursors
        # One query string: PostgreSQL runs its statements in order, in one transaction, and
        # stops at the first that fails. The cursor holds the last statement's result.
        query, prepared = self._db.compose(connection, hooked, begin=begin, end=end)
        cursor = connection.cursor()
        if begin:
            self._in_transaction = True
        try:
            cursor.execute(query)
        except BaseException:
            self._db.composed(connection, prepared, ran=False)
            raise
        self._db.composed(connection, prepared, ran=True)
        if end:
            self._in_transaction = False
        return [cursor]

    def _hooked(self, connection: Any, sql: str, params: Params) -> tuple[str, Params]:
        for hook in self._db.execute_hooks:
            replaced = hook(connection, sql, params)
            if replaced is not None:
                sql, params = replaced
        return sql, params
