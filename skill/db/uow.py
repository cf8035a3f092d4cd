"""The unit of work: each `with uow:` is one transaction, rolled back unless committed.

A question reads outside a transaction (no lock; readers never queue behind writers); the
first write, or a command's locking read, opens it (BEGIN, or BEGIN IMMEDIATE on SQLite).
Every wait inside the block ends by the request's deadline. A connection is taken at the
first statement and given back when the block ends; one found dead before anything of the
transaction was sent on it is replaced (its idle siblings dropped) and the statement sent
again.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol, Self

from skill.db.database import Database, DatabaseError, Params, deadline, describe, time_left
from skill.db.repository import Conflict, Repository

__all__ = ["Conflict", "SqlUnitOfWork", "UnitOfWork", "unit_of_work"]


class UnitOfWork(Protocol):
    """What a service needs: a repository, and an explicit commit."""

    repo: Repository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


def unit_of_work(database: Database) -> SqlUnitOfWork:
    """A fresh unit of work on the database."""
    return SqlUnitOfWork(database)


class SqlUnitOfWork:
    """Transactions on one database, one per `with` block."""

    repo: Repository

    def __init__(self, database: Database) -> None:
        self._db = database
        self._errors = database.errors
        self._connection: Any = None
        self._in_transaction = False
        self._scope = contextlib.ExitStack()

    def __enter__(self) -> Self:
        self._scope.enter_context(deadline())
        self.repo = Repository(self.execute, self._db.dialect)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.rollback()
        finally:
            self._scope.close()

    def commit(self) -> None:
        """Write what changed and COMMIT; `Conflict` (and nothing written) when the user
        changed since it was read."""
        try:
            self.repo.flush()
            if self._in_transaction:
                self.execute("COMMIT")
                self._in_transaction = False
        except BaseException:
            self.rollback()
            raise
        self._release()

    def rollback(self) -> None:
        """Drop what was not committed, and give the connection back."""
        self.repo.forget()
        broken = False
        if self._connection is not None and self._in_transaction:
            try:
                self._connection.cursor().execute("ROLLBACK")
            except self._errors:
                broken = True
        self._in_transaction = False
        self._release(broken=broken)

    def execute(self, sql: str, params: Params | None = None, *, write: bool = False) -> Any:
        """Run one statement now (the repository's); in the transaction, opened first, when
        `write`. Its cursor."""
        if write and not self._in_transaction:
            self._send(self._db.begin_sql, None)
            self._in_transaction = True
        return self._send(sql, params)

    def _send(self, sql: str, params: Params | None) -> Any:
        retried = False
        while True:
            if self._connection is None:
                self._connection = self._db.checkout()
            connection = self._connection
            try:
                cursor = connection.cursor()
                cursor.execute(sql, self._db.bind(params))
                return cursor
            except self._errors as exc:
                if not self._db.is_disconnect(connection, exc):
                    raise DatabaseError(describe(exc)) from exc
                self._release(broken=True)
                self._db.pool.discard_idle()  # its idle siblings are likely dead too
                left = time_left()
                fresh_start = not self._in_transaction and not retried
                if not fresh_start or (left is not None and left <= 0):
                    raise DatabaseError(describe(exc)) from exc
                retried = True

    def _release(self, *, broken: bool = False) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._db.pool.put(connection, broken=broken)
