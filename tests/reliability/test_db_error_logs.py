"""What a database failure leaves in the logs: the error's class and its SQLSTATE, enough to
tell a dropped connection from a missing table, and never the driver's message text (it
names the server's host and port, and sometimes the values sent)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.app import CoachSkill, build_skill
from skill.config import Settings
from tests.alexa import Alexa
from tests.databases import watching
from tests.reliability.helpers import is_apology
from tests.reliability.test_faults import named_postgres_url as named_postgres_url
from tests.reliability.test_faults import terminate
from tests.skill.helpers import PEPPER

USER = "amzn1.ask.account.LOGGED-ERRORS"
#: What psycopg2's messages say, that a log line must not.
DRIVER_WORDS = (
    '"127.0.0.1"',
    "port 1",
    "Connection refused",
    'relation "users"',
    "does not exist",
    "no such table",
    "terminating connection",
    "administrator command",
)


def failure_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [caplog.handler.format(r) for r in caplog.records if r.levelno >= logging.WARNING]


def assert_no_driver_text(caplog: pytest.LogCaptureFixture) -> None:
    logged = caplog.text + "\n".join(failure_lines(caplog))
    for words in DRIVER_WORDS:
        assert words not in logged, words


def test_an_unreachable_server_is_logged_by_class_without_its_host_or_port(
    make_skill: Callable[[str], CoachSkill], caplog: pytest.LogCaptureFixture
) -> None:
    skill = make_skill("postgresql://coach@127.0.0.1:1/coach")
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)

    with caplog.at_level(logging.INFO):
        turn = alexa.launch()

    assert is_apology(turn.envelope, "en-US"), turn.speech
    lines = failure_lines(caplog)
    assert any("failed: DatabaseError <- OperationalError" in line for line in lines), lines
    assert_no_driver_text(caplog)


def test_a_missing_table_is_logged_with_its_sqlstate(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, user_id_pepper=PEPPER, auto_migrate=False
    )
    skill = build_skill(settings)  # never migrated: no users table
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    try:
        with caplog.at_level(logging.INFO):
            turn = alexa.launch()
    finally:
        skill.close()

    assert is_apology(turn.envelope, "en-US"), turn.speech
    lines = failure_lines(caplog)
    sqlite = database_url.startswith("sqlite")
    cause = "OperationalError SQLITE_ERROR" if sqlite else "UndefinedTable SQLSTATE 42P01"
    assert any(f"request failed: DatabaseError <- {cause}" in line for line in lines), lines
    assert_no_driver_text(caplog)


@pytest.mark.postgres
def test_a_connection_killed_mid_request_is_logged_by_class_without_the_drivers_words(
    named_postgres_url: str,
    make_skill: Callable[[str], CoachSkill],
    caplog: pytest.LogCaptureFixture,
) -> None:
    skill = make_skill(named_postgres_url)
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()
    killed: list[int] = []

    def kill_own_backend(conn: Any, sql: str, _params: Any) -> None:
        if "UPDATE users" in sql and not killed:
            killed.append(terminate("pid = :pid", pid=conn.info.backend_pid))

    with watching(skill.database, kill_own_backend), caplog.at_level(logging.INFO):
        turn = alexa.log_day(confidence=8)

    assert killed == [1]
    assert is_apology(turn.envelope, "en-US"), turn.speech
    lines = failure_lines(caplog)
    # libpq reports the cut as a lost connection (no SQLSTATE reaches the client).
    assert any("request failed: DatabaseError <- OperationalError" in line for line in lines)
    assert_no_driver_text(caplog)
