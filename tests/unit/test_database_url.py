"""DATABASE_URL is a SQLAlchemy URL; the request path reads it without SQLAlchemy."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from skill.config import BadDatabaseUrl, normalize_url, parse_url
from skill.db.database import for_dialect, make_database
from skill.db.engine import make_engine


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///coach.db", "coach.db"),
        ("sqlite:////var/lib/coach/coach.db", "/var/lib/coach/coach.db"),
        ("sqlite+pysqlite:////tmp/a%20b.db", "/tmp/a b.db"),
        ("sqlite:///~/coach.db", "~/coach.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
    ],
)
def test_sqlite_urls_name_the_file_sqlalchemy_would_open(url: str, path: str | None) -> None:
    target = parse_url(url)
    assert target.dialect == "sqlite"
    assert target.path == path
    expected = make_url(url).database
    assert (expected in (None, "", ":memory:")) if path is None else expected == path


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgres://coach:p%40ss@db.example:6543/coach?sslmode=require",
        "postgresql+psycopg://coach@/coach?host=/var/run/postgresql&application_name=coach",
    ],
)
def test_postgresql_urls_keep_their_user_host_database_and_options(url: str) -> None:
    target = parse_url(url)
    assert target.dialect == "postgresql"
    from psycopg2.extensions import parse_dsn

    given = make_url(url.replace("postgres://", "postgresql://", 1))
    found = parse_dsn(target.conninfo or "")
    assert found.get("user") == given.username
    assert found.get("password") == given.password
    assert found.get("dbname") == given.database
    for key, value in given.query.items():
        assert found.get(key) == value


def test_server_options_in_the_url_are_kept_beside_the_statement_timeout() -> None:
    target = parse_url("postgresql://h/db?options=-c%20search_path%3Dcoach&sslmode=disable")
    assert target.options == "-c search_path=coach"
    assert "options" not in (target.conninfo or "")
    database = make_database("postgresql://h/db?options=-c%20search_path%3Dcoach")
    assert database._options == "-c search_path=coach -c statement_timeout=5000"  # type: ignore[attr-defined]


def test_a_url_written_for_psycopg_3_still_works_with_its_pooler_option() -> None:
    # Deployments configured before the move to psycopg2 may carry psycopg 3's driver name
    # and its `prepare_threshold=none` (for a pooler): it is accepted and ignored (nothing
    # is prepared), and never reaches libpq, which would refuse it.
    url = "postgresql+psycopg://h/db?prepare_threshold=none&sslmode=require"
    assert normalize_url(url) == "postgresql+psycopg2://h/db?prepare_threshold=none&sslmode=require"
    target = parse_url(normalize_url(url))
    assert "prepare_threshold" not in (target.conninfo or "")
    assert "sslmode=require" in (target.conninfo or "")
    engine = make_engine(url)
    try:
        assert engine.dialect.driver == "psycopg2"
        assert "prepare_threshold" not in engine.url.query
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgres://h/db", "postgresql+psycopg2://h/db"),
        ("postgresql://h/db", "postgresql+psycopg2://h/db"),
        ("postgresql+psycopg2://h/db", "postgresql+psycopg2://h/db"),
        ("sqlite:///coach.db", "sqlite:///coach.db"),
    ],
)
def test_postgresql_urls_are_served_by_psycopg2(url: str, driver: str) -> None:
    assert normalize_url(url) == driver


def test_a_postgresql_driver_the_skill_does_not_ship_is_refused_clearly() -> None:
    with pytest.raises(BadDatabaseUrl, match="asyncpg"):
        parse_url("postgresql+asyncpg://h/db")


@pytest.mark.parametrize("url", ["mysql://root@localhost/coach", "coach.db", "oracle://x"])
def test_a_database_the_skill_cannot_use_is_refused_clearly(url: str) -> None:
    with pytest.raises(BadDatabaseUrl):
        parse_url(url)


def test_named_parameters_become_the_drivers_own_style() -> None:
    sql = "SELECT a FROM t WHERE b = :b AND c >= :c_2 AND d = '::text'"
    assert for_dialect(sql, "sqlite") == sql
    assert for_dialect(sql, "postgresql") == (
        "SELECT a FROM t WHERE b = %(b)s AND c >= %(c_2)s AND d = '::text'"
    )


def test_the_request_path_reads_every_column_of_users_the_models_declare() -> None:
    from skill.db.models import User
    from skill.db.repository import USER_COLUMNS

    assert set(USER_COLUMNS) == set(User.__table__.columns.keys()) - {"created_at"}
    assert len(USER_COLUMNS) == len(set(USER_COLUMNS))
