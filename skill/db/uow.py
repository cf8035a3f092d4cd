"""The unit of work: one transaction per request, rolled back unless a service commits."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self

from skill.db.database import Database, DatabaseError, Params
from skill.db.repository import Repository


class Statements(Protocol):
    """Runs one statement in the unit of work's transaction and returns its cursor."""

    def __call__(self, sql: str, params: Params) -> Any: ...


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


class SqlUnitOfWork:
    """A unit of work on one database connection, taken at the first statement and given
    back when the transaction ends (so none is held while an Alexa API is called)."""

    repo: Repository

    def __init__(self, database: Database) -> None:
        self._db = database
        self._errors = database.errors()
        self._connection: Any = None

    def __enter__(self) -> Self:
        self.repo = Repository(self._run, self._db.dialect)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def _run(self, sql: str, params: Params) -> Any:
        connection = self._connection
        fresh = connection is None
        if fresh:
            connection = self._begin()
        for hook in self._db.execute_hooks:
            replaced = hook(connection, sql, params)
            if replaced is not None:
                sql, params = replaced
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
                    self._end(broken=True)
                    raise DatabaseError(type(again).__name__) from again
            self._end(broken=self._db.is_disconnect(connection, exc))
            raise DatabaseError(type(exc).__name__) from exc

    def _begin(self) -> Any:
        try:
            connection = self._db.checkout()
        except self._errors as exc:
            raise DatabaseError(type(exc).__name__) from exc
        self._connection = connection
        for hook in self._db.begin_hooks:
            hook()
        try:
            self._db.begin(connection)
        except self._errors as exc:
            self._end(broken=True)
            raise DatabaseError(type(exc).__name__) from exc
        return connection

    def _end(self, *, broken: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._db.checkin(connection, broken=broken)

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
                broken = self._db.is_disconnect(self._connection, exc)
                self._end(broken=broken)
                raise DatabaseError(type(exc).__name__) from exc
        except BaseException:
            self.rollback()
            raise
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
