"""The unit of work: one transaction per request, rolled back unless a service commits."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self

from skill.db.database import Database, DatabaseError, Params
from skill.db.repository import Repository


class Conflict(Exception):
    """Another request wrote this user between our read and our write (nothing of ours was
    written); run the use case again."""


class Runner(Protocol):
    """How the repository's statements reach the database."""

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


def unit_of_work(database: Database) -> SqlUnitOfWork | PostgresUnitOfWork:
    """The unit of work that suits the database."""
    if database.dialect == "postgresql":
        return PostgresUnitOfWork(database)
    return SqlUnitOfWork(database)


class _Base:
    repo: Repository
    #: Whether writes wait for the commit, guarded by the user's revision (see Repository).
    guarded = False

    def __init__(self, database: Database) -> None:
        self._db = database
        self._errors = database.errors()
        self._connection: Any = None

    def __enter__(self) -> Self:
        self.repo = Repository(self, self._db.dialect, guarded=self.guarded)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def read(self, sql: str, params: Params) -> Any:
        """Run a query now and return its cursor."""
        raise NotImplementedError

    def create(self, sql: str, params: Params) -> Any:
        """Run a write whose result is needed now."""
        raise NotImplementedError

    def write(self, sql: str, params: Params, *, guard: bool = False) -> None:
        """Run a write, now or at commit."""
        raise NotImplementedError

    def rollback(self) -> None:
        """Drop the request's changes and end its transaction."""
        raise NotImplementedError

    def pause(self) -> bool:
        """Hold no lock and no connection while the caller waits on something slow (an
        Alexa API call); True when what was read must be read again afterwards."""
        self.rollback()
        return True

    def lock_reads(self) -> None:
        """Lock the users read until the commit (SQLite's transactions always do)."""

    def _hooked(self, connection: Any, sql: str, params: Params) -> tuple[str, Params]:
        for hook in self._db.execute_hooks:
            replaced = hook(connection, sql, params)
            if replaced is not None:
                sql, params = replaced
        return sql, params

    def _checkout(self) -> Any:
        try:
            connection = self._db.checkout()
        except self._errors as exc:
            raise DatabaseError(type(exc).__name__) from exc
        self._connection = connection
        return connection

    def _end(self, *, broken: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._db.checkin(connection, broken=broken)

    def _failed(self, exc: BaseException) -> DatabaseError:
        broken = self._connection is not None and self._db.is_disconnect(self._connection, exc)
        self._end(broken=broken)
        return DatabaseError(type(exc).__name__)


class SqlUnitOfWork(_Base):
    """One transaction on one connection, taken at the first statement and given back when
    it ends (so none is held while an Alexa API is called). On SQLite the transaction
    starts with BEGIN IMMEDIATE, so writers for one user queue rather than race."""

    def read(self, sql: str, params: Params) -> Any:
        """Run a statement in the transaction (opening it first if need be)."""
        connection = self._connection
        fresh = connection is None
        if fresh:
            connection = self._begin()
        sql, params = self._hooked(connection, sql, params)
        bound = {k: self._db.bind(v) for k, v in params.items()}
        try:
            return connection.execute(sql, bound)
        except self._errors as exc:
            if fresh and self._db.is_disconnect(connection, exc):
                # The server dropped this idle connection (a restart, a failover, a proxy's
                # timeout): nothing has happened in this transaction, so try a new one.
                self._end(broken=True)
                connection = self._begin()
                try:
                    return connection.execute(sql, bound)
                except self._errors as again:
                    raise self._failed(again) from again
            raise self._failed(exc) from exc

    def create(self, sql: str, params: Params) -> Any:
        """Run a write whose result is needed now (in the transaction, like any other)."""
        return self.read(sql, params)

    def write(self, sql: str, params: Params, *, guard: bool = False) -> None:
        """Run a write in the transaction now."""
        cursor = self.read(sql, params)
        if guard and cursor.rowcount != 1:
            raise Conflict("the user changed since it was read")

    def _begin(self) -> Any:
        connection = self._checkout()
        for hook in self._db.begin_hooks:
            hook()
        try:
            self._db.begin(connection)
        except self._errors as exc:
            raise self._failed(exc) from exc
        return connection

    def commit(self) -> None:
        """Make the request's changes durable."""
        try:
            self.repo.flush()
            if self._connection is None:
                return  # nothing was read or written
            for hook in self._db.commit_hooks:
                hook()
            try:
                self._connection.commit()
            except self._errors as exc:
                raise self._failed(exc) from exc
        except BaseException:
            self.rollback()
            raise
        self.repo.forget()
        self._end()

    def rollback(self) -> None:
        """Drop the request's changes and end its transaction."""
        self.repo.forget()
        connection = self._connection
        if connection is None:
            return
        try:
            connection.rollback()
        except self._errors:
            self._end(broken=True)
            return
        self._end()


class PostgresUnitOfWork(_Base):
    """Optimistic on PostgreSQL, where every round trip counts: reads run outside a
    transaction, so a request that changes nothing makes one round trip and locks nothing.
    Writes wait for the commit, which sends them in one pipelined round trip: BEGIN, the
    user's UPDATE guarded by the revision it was read with, the day writes (which happen only
    if that UPDATE did), COMMIT. If another request wrote the user in between, nothing of
    ours was written and `Conflict` says to run the use case again.

    The use case runs again on the same unit of work, which then locks as it reads (BEGIN
    and SELECT … FOR UPDATE in one round trip): a second run waits its turn instead of
    racing again, so even a hundred writers to one user all get through."""

    guarded = True

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self._writes: list[tuple[str, Params, bool]] = []
        self._in_transaction = False
        self._lock_on_read = False

    def _connect(self) -> tuple[Any, bool]:
        if self._connection is not None:
            return self._connection, False
        connection = self._checkout()
        for hook in self._db.begin_hooks:
            hook()
        return connection, True

    def _send(self, statements: list[tuple[str, Params]], *, begin: bool, end: bool) -> list[Any]:
        """Send statements in one round trip (a pipeline); their cursors.

        A pooled connection the server dropped fails at once; when nothing has been sent on
        it in this unit of work, the round trip is made again on a new connection."""
        connection, fresh = self._connect()
        while True:
            try:
                return self._pipeline(connection, statements, begin=begin, end=end)
            except self._errors as exc:
                if fresh and not self._in_transaction and self._db.is_disconnect(connection, exc):
                    self._end(broken=True)
                    connection, fresh = self._connect()[0], False
                    continue
                self._in_transaction = False
                raise self._failed(exc) from exc

    def _pipeline(
        self, connection: Any, statements: list[tuple[str, Params]], *, begin: bool, end: bool
    ) -> list[Any]:
        hooked = [self._hooked(connection, sql, params) for sql, params in statements]
        if end:
            for hook in self._db.commit_hooks:
                hook()
        if len(hooked) == 1 and not begin and not end:
            return [connection.execute(*hooked[0])]
        with connection.pipeline():
            if begin:
                connection.execute("BEGIN")
                self._in_transaction = True
            cursors = [connection.execute(sql, params) for sql, params in hooked]
            if end:
                connection.execute("COMMIT")
        if end:
            self._in_transaction = False
        return cursors

    def lock_reads(self) -> None:
        """Read in a transaction from now on (the repository's user reads lock the row)."""
        self._lock_on_read = True

    def read(self, sql: str, params: Params) -> Any:
        """Run a query now: in autocommit, or in a transaction of its own when reads lock
        (after `lock_reads`, or after a conflict)."""
        begin = self._lock_on_read and not self._in_transaction
        return self._send([(sql, params)], begin=begin, end=False)[0]

    def create(self, sql: str, params: Params) -> Any:
        """Open the transaction with this write, and return its cursor."""
        return self._send([(sql, params)], begin=not self._in_transaction, end=False)[0]

    def write(self, sql: str, params: Params, *, guard: bool = False) -> None:
        """Keep the write for the commit's round trip."""
        self._writes.append((sql, params, guard))

    def commit(self) -> None:
        """Write everything and COMMIT in one round trip; Conflict if a guard found the
        user written by someone else (then nothing was written)."""
        try:
            self.repo.flush()
            if self._writes or self._in_transaction:
                guards = [(sql, params) for sql, params, guard in self._writes if guard]
                rest = [(sql, params) for sql, params, guard in self._writes if not guard]
                self._writes = []
                cursors = self._send(guards + rest, begin=not self._in_transaction, end=True)
                if any(cursor.rowcount != 1 for cursor in cursors[: len(guards)]):
                    self._lock_on_read = True  # for the use case's next run
                    raise Conflict("the user changed since it was read")
        except BaseException:
            self.rollback()
            raise
        self.repo.forget()
        self._end()

    def pause(self) -> bool:
        """Give the connection back; what was read stays the basis of the commit's guard,
        so nothing needs reading again."""
        if self._in_transaction or self._writes:
            return super().pause()
        self._end()
        return False

    def rollback(self) -> None:
        """Drop the request's changes and end its transaction."""
        self.repo.forget()
        self._writes = []
        connection = self._connection
        if connection is None:
            return
        if self._in_transaction or connection.info.transaction_status != 0:
            self._in_transaction = False
            try:
                connection.rollback()
            except self._errors:
                self._end(broken=True)
                return
        self._end()
