"""Shared fixtures: database URLs for the data-layer tests on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.databases import private_schema

POSTGRES_ENV = "COACH_TEST_POSTGRES_URL"


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return f"PostgreSQL tests: ON ({POSTGRES_ENV} is set)"
    return (
        f"PostgreSQL tests: SKIPPED ({POSTGRES_ENV} is not set; "
        f"e.g. {POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/test)"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A private schema on the test PostgreSQL server, dropped afterwards.

    Skips (saying why) when no server is configured; CI always configures one, so
    there a connection failure fails the test instead of skipping it.
    """
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    with private_schema(base) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    """A real SQLite file in the test's own folder."""
    return f"sqlite:///{tmp_path}/coach.db"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each data-layer test runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url
