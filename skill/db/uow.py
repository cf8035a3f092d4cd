"""The unit of work: one transaction per request, rolled back unless a service commits."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.orm import Session, sessionmaker

from skill.db.repository import Repository


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
    """A unit of work over a SQLAlchemy session."""

    repo: Repository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        self._session = self._factory()
        self.repo = Repository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        """Make the request's changes durable."""
        assert self._session is not None
        self._session.commit()

    def rollback(self) -> None:
        """Drop the request's changes and end its transaction."""
        assert self._session is not None
        self._session.rollback()
