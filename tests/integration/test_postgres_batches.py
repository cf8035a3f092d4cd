"""PostgreSQL's request path: each statement prepared once per connection, a batch that fails
part way leaves nothing behind (and the next one works), and the URL option for poolers that
turns preparing off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skill import services
from skill.db.database import Database, DatabaseError, make_database
from skill.db.migrate import upgrade_url
from skill.db.uow import unit_of_work
from skill.domain.model import Activity, Contact
from skill.services import Caller, hash_user_id

pytestmark = pytest.mark.postgres

NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def database_on(url: str) -> Database:
    upgrade_url(url)
    return make_database(url)


@pytest.fixture
def database(postgres_url: str) -> Iterator[Database]:
    found = database_on(postgres_url)
    yield found
    found.dispose()


def caller(day: int = 0) -> Caller:
    return Caller(hash_user_id("batches-user", "pepper"), "en-US", NOON + timedelta(days=day))


def onboard(database: Database) -> None:
    services.open_session(unit_of_work(database), caller())
    services.answer_worth_pursuing(unit_of_work(database), caller(), worth_it=True)


def log(database: Database, day: int, confidence: int) -> services.LogResult:
    return services.log_day(
        unit_of_work(database), caller(day), Contact.NONE, Activity.HOBBY, confidence
    )


def prepared_on_the_connection(database: Database) -> dict[str, str]:
    """Name → the query string that prepared it, on the pool's connection (the tests use one
    at a time, so the pool hands back the same one)."""
    connection = database.checkout()
    try:
        cursor = database.execute(connection, "SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())
    finally:
        database.checkin(connection)


def test_each_statement_is_prepared_once_per_connection_and_reused(database: Database) -> None:
    onboard(database)
    log(database, 1, 6)
    after_one_log = prepared_on_the_connection(database)
    for day in range(2, 6):
        log(database, day, 7)
    services.status(unit_of_work(database), caller(5))

    sent = " ".join(after_one_log.values())
    assert "PREPARE" in sent and "INSERT INTO day_logs" in sent and "UPDATE users" in sent
    # Four more days of logs and a question prepared nothing new: the same statements ran.
    assert prepared_on_the_connection(database).keys() == after_one_log.keys()
    assert services.status(unit_of_work(database), caller(5)).log_days == 5


def test_a_batch_that_fails_after_preparing_leaves_nothing_and_the_next_request_works(
    database: Database,
) -> None:
    onboard(database)  # nothing written to day_logs yet: the day write is not prepared

    def overflow_once(_connection: Any, sql: str, params: Any) -> Any:
        if "INSERT INTO day_logs" in sql:
            database.remove("execute", overflow_once)
            # Prepared fine, then fails when it runs (a SMALLINT out of range), after the
            # guarded UPDATE: the PREPARE stays on the server though the batch rolled back.
            return sql, {**params, "confidence": 10**6}
        return None

    database.listen("execute", overflow_once)
    with pytest.raises(DatabaseError):
        log(database, 1, 9)

    nothing = services.status(unit_of_work(database), caller(1))
    assert (nothing.log_days, nothing.logged_today) == (0, False)
    # The same statement is prepared again on the same connection without a clash.
    assert log(database, 1, 9).status.log_days == 1
    assert log(database, 2, 8).status.log_days == 2


def test_a_pooler_that_keeps_no_prepared_statements_can_turn_them_off(postgres_url: str) -> None:
    separator = "&" if "?" in postgres_url else "?"
    database = database_on(f"{postgres_url}{separator}prepare_threshold=none")
    try:
        onboard(database)
        log(database, 1, 6)
        assert prepared_on_the_connection(database) == {}
        assert services.status(unit_of_work(database), caller(1)).log_days == 1
    finally:
        database.dispose()
