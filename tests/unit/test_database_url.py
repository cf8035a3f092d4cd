"""DATABASE_URL is a SQLAlchemy URL; the request path reads it without SQLAlchemy."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from skill.db.database import BadDatabaseUrl, for_dialect, make_database, parse_url


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
    from psycopg.conninfo import conninfo_to_dict

    given = make_url(url.replace("postgres://", "postgresql://", 1))
    found = conninfo_to_dict(target.conninfo or "")
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


def test_server_side_prepared_statements_can_be_turned_off_for_a_connection_pooler() -> None:
    assert parse_url("postgresql://h/db").prepare_threshold == 5
    off = parse_url("postgresql://h/db?prepare_threshold=none&sslmode=require")
    assert off.prepare_threshold is None
    assert "prepare_threshold" not in (off.conninfo or "") and "sslmode=require" in (
        off.conninfo or ""
    )
    assert parse_url("postgresql://h/db?prepare_threshold=0").prepare_threshold == 0
    with pytest.raises(BadDatabaseUrl):
        parse_url("postgresql://h/db?prepare_threshold=soon")


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
