"""The database failing under a request: a spoken apology, nothing half-written, and the
next request works once the fault is gone, without rebuilding the skill."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.pool import NullPool

from skill.app import CoachSkill
from skill.db.database import REQUEST_BUDGET_SECONDS, Database
from skill.db.engine import normalize_url
from skill.db.models import DayLog, User
from skill.web import create_app
from tests.alexa import Alexa, Turn
from tests.conftest import POSTGRES_ENV
from tests.databases import TRANSACTION_CONTROL, watching
from tests.reliability import workers
from tests.reliability.helpers import (
    assert_valid_response,
    consistency_problems,
    full_log_event,
    inspector,
    is_apology,
    said,
    snapshot,
)
from tests.skill.helpers import user_hash

USER = "amzn1.ask.account.FAULTY-DAY-USER"
SERVER_START_LIMIT_SECONDS = 60
RESTARTED_APP = "coach-reliability-restart"


VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE")


class InjectedFault(Exception):
    """What the database 'raised' in these tests."""


class Fault:
    """While active, every SQL statement starting with `statement` (or every COMMIT) fails
    on the database; `seen` lists the statements the request ran up to the failure."""

    def __init__(self, database: Database, statement: str) -> None:
        self.database = database
        self.statement = statement
        self.seen: list[str] = []
        self.fired = 0
        self._watch = watching(database, self._on_execute)

    def _on_execute(self, _conn: Any, sql: str, _params: Any) -> None:
        if sql in TRANSACTION_CONTROL and sql != "COMMIT":
            return
        words = sql.replace("(", " ").split()
        verb = next((i for i, w in enumerate(words) if w.upper() in VERBS), 0)
        self.seen.append(" ".join(words[verb : verb + 3]))
        if self.seen[-1].upper().startswith(self.statement.upper()):
            self.fired += 1
            raise InjectedFault(self.statement)

    def __enter__(self) -> Fault:
        self._watch.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._watch.__exit__(*exc)


def skill_behind(handler_module: Any) -> CoachSkill:
    skill = handler_module._skill
    assert isinstance(skill, CoachSkill), "the Lambda builds its skill on the first event"
    return skill


def logged_days(url: str) -> list[tuple[Any, ...]]:
    """(day, confidence) of every day row of USER, oldest first."""
    with inspector(url) as engine, engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(DayLog.day, DayLog.confidence)
                .join(User, User.id == DayLog.user_id)
                .where(User.user_hash == user_hash(USER))
                .order_by(DayLog.day)
            )
        ]


def database_now(url: str) -> dict[str, Any]:
    with inspector(url) as engine:
        assert consistency_problems(engine) == []
        return snapshot(engine)


def assert_apology_that_keeps_listening(turn: Turn) -> None:
    assert_valid_response(turn.envelope)
    assert is_apology(turn.envelope, "en-US"), turn.speech
    assert turn.envelope["response"]["shouldEndSession"] is False
    assert turn.reprompt


def logged_yesterday_and_today(alexa: Alexa) -> list[tuple[date, int]]:
    today = alexa.now.date()
    return [(today - timedelta(days=1), 6), (today, 9)]


@pytest.mark.parametrize("statement", ["INSERT INTO day_logs", "UPDATE users", "COMMIT"])
def test_a_database_failing_mid_log_gets_an_apology_writes_nothing_and_the_retry_works(
    database_url: str, lambda_on: Callable[[str], Any], statement: str
) -> None:
    module = lambda_on(database_url)
    alexa = Alexa(module.handler, user_id=USER)
    alexa.onboard()
    alexa.log_day(confidence=6)
    alexa.next_day()
    before = database_now(database_url)

    with Fault(skill_behind(module).database, statement) as fault:
        during = alexa.log_day(confidence=9)
    after_the_fault = database_now(database_url)
    retry = alexa.log_day(confidence=9)

    assert fault.fired
    # The commit sends the user's guarded UPDATE, then the day row, then COMMIT: when the
    # COMMIT fails, the day row had already been written in the transaction.
    if statement == "COMMIT":
        assert fault.seen[-3:] == ["UPDATE users SET", "INSERT INTO day_logs", "COMMIT"]
    assert_apology_that_keeps_listening(during)
    assert after_the_fault == before
    assert not is_apology(retry.envelope), retry.speech
    assert "You've logged 2 days in a row." in retry.speech
    assert logged_days(database_url) == logged_yesterday_and_today(alexa)
    database_now(database_url)


def test_a_database_failing_under_the_web_endpoint_still_answers_200_with_an_apology(
    sqlite_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(sqlite_url)
    client = create_app({"SKILL": skill, "ALEXA_VERIFY": "0"}).test_client()
    alexa = Alexa(lambda event, _context: client.post("/", json=event).get_json(), user_id=USER)
    alexa.onboard()
    alexa.log_day(confidence=6)
    alexa.next_day()
    before = database_now(sqlite_url)

    with Fault(skill.database, "UPDATE users"):
        response = client.post("/", json=full_log_event(alexa, confidence=9))
    after_the_fault = database_now(sqlite_url)
    retry = client.post("/", json=full_log_event(alexa, confidence=9))

    assert response.status_code == 200
    assert_valid_response(response.get_json())
    assert is_apology(response.get_json(), "en-US")
    assert after_the_fault == before
    assert retry.status_code == 200
    assert not is_apology(retry.get_json()), said(retry.get_json())
    assert logged_days(sqlite_url) == logged_yesterday_and_today(alexa)


# -- PostgreSQL connections cut -----------------------------------------------------------


@pytest.fixture
def named_postgres_url(postgres_url: str) -> str:
    """The test schema's URL, with an application name that marks the skill's connections."""
    return f"{postgres_url}&application_name=coach-reliability-{uuid.uuid4().hex[:12]}"


def terminate(where: str, **params: Any) -> int:
    """pg_terminate_backend, from a connection of our own, for the backends `where` picks."""
    admin = create_engine(normalize_url(os.environ[POSTGRES_ENV]), poolclass=NullPool)
    try:
        with admin.begin() as conn:
            query = text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE pid <> pg_backend_pid() AND {where}"
            )
            return int(conn.execute(query, params).scalar_one())
    finally:
        admin.dispose()


def application_name(url: str) -> str:
    return url.rsplit("application_name=", 1)[1]


@pytest.mark.postgres
@pytest.mark.parametrize("statement", ["INSERT INTO day_logs", "UPDATE users"])
def test_a_postgresql_connection_killed_mid_log_gets_an_apology_and_writes_nothing(
    named_postgres_url: str, make_skill: Callable[[str], CoachSkill], statement: str
) -> None:
    skill = make_skill(named_postgres_url)
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()
    alexa.log_day(confidence=6)
    alexa.next_day()
    before = database_now(named_postgres_url)
    killed: list[int] = []

    def kill_own_backend(conn: Any, sql: str, _params: Any) -> None:
        if statement in sql and not killed:
            killed.append(terminate("pid = :pid", pid=conn.info.backend_pid))

    with watching(skill.database, kill_own_backend):
        during = alexa.log_day(confidence=9)
    after_the_cut = database_now(named_postgres_url)
    retry = alexa.log_day(confidence=9)

    assert killed == [1]
    assert_apology_that_keeps_listening(during)
    assert after_the_cut == before
    assert not is_apology(retry.envelope), retry.speech
    assert logged_days(named_postgres_url) == logged_yesterday_and_today(alexa)


@pytest.mark.postgres
def test_postgresql_connections_killed_between_requests_go_unnoticed(
    named_postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(named_postgres_url)
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()

    cut = terminate("application_name = :name", name=application_name(named_postgres_url))
    turn = alexa.log_day(confidence=8)

    assert cut >= 1, "the skill keeps pooled connections to cut"
    assert not is_apology(turn.envelope), turn.speech
    assert [c for _, c in logged_days(named_postgres_url)] == [8]


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database of this test's own (so terminating every backend of it leaves
    other tests' connections alone), dropped afterwards."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    name = f"coach_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    parts = urlsplit(base)
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_after_every_connection_to_the_database_is_cut_the_next_requests_answer_normally(
    own_database: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(own_database)
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()
    # Several requests at once, so the pool holds several idle connections to cut.
    together = [full_log_event(alexa, confidence=c) for c in (5, 6, 7, 8)]
    with ThreadPoolExecutor(max_workers=len(together)) as pool:
        assert not any(is_apology(a) for a in pool.map(skill.invoke, together))

    every = "datname = :name"
    cut = terminate(every, name=urlsplit(own_database).path.lstrip("/"))
    healthy = skill.database.ping()
    terminate(every, name=urlsplit(own_database).path.lstrip("/"))
    after = [alexa.launch(), alexa.log_day(confidence=9), alexa.intent("StreakIntent")]

    assert cut >= 2, "the pool kept several connections to cut"
    assert healthy
    for turn in after:
        assert not is_apology(turn.envelope), turn.speech
    assert [c for _, c in logged_days(own_database)] == [9]


class Relay:
    """A TCP relay on loopback in front of PostgreSQL that can stop relaying (a server
    that hangs without closing anything)."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.flowing = threading.Event()
        self.flowing.set()
        self.accepted = 0
        self.stuck: set[int] = set()  # connections that had bytes held while frozen
        self.closed_by_client: set[int] = set()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for src, dst, from_client in ((client, server, True), (server, client, False)):
                args = (self.accepted, src, dst, from_client)
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, number: int, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                if not self.flowing.is_set():
                    self.stuck.add(number)
                    self.flowing.wait()
                dst.sendall(data)
        except OSError:
            pass
        if from_client:
            self.closed_by_client.add(number)
        for end in (src, dst):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.flowing.set()
        self.listener.close()
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


@pytest.mark.postgres
def test_a_hung_postgresql_server_gets_an_apology_within_the_deadline_and_is_not_reused(
    postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    parts = urlsplit(postgres_url)
    relay = Relay(parts.hostname or "127.0.0.1", parts.port or 5432)
    relayed = parts._replace(netloc=f"{parts.username}@127.0.0.1:{relay.port}").geturl()
    try:
        skill = make_skill(relayed)
        alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
        alexa.onboard()
        alexa.log_day(confidence=6)
        alexa.next_day()

        relay.flowing.clear()
        started = time.monotonic()
        during = alexa.log_day(confidence=9)
        waited = time.monotonic() - started
        relay.flowing.set()
        after = alexa.log_day(confidence=9)
        stuck = set(relay.stuck)
        for _ in range(100):  # the client's side of a stuck connection closes, bounded
            if stuck <= relay.closed_by_client:
                break
            time.sleep(0.05)
    finally:
        relay.close()

    assert_apology_that_keeps_listening(during)
    assert waited < REQUEST_BUDGET_SECONDS + 3
    assert stuck, "the request's statement was held by the relay"
    assert stuck <= relay.closed_by_client, "the skill closed the connection that hung"
    assert not is_apology(after.envelope), after.speech
    assert logged_days(postgres_url) == logged_yesterday_and_today(alexa)


def test_a_postgresql_server_that_cannot_be_reached_gets_an_apology_over_http_200(
    make_skill: Callable[[str], CoachSkill],
) -> None:
    skill = make_skill("postgresql://coach@127.0.0.1:1/coach?connect_timeout=1")
    client = create_app({"SKILL": skill, "ALEXA_VERIFY": "0"}).test_client()
    alexa = Alexa(lambda event, _context: client.post("/", json=event).get_json(), user_id=USER)

    response = client.post("/", json=full_log_event(alexa))
    launch = alexa.launch()

    assert response.status_code == 200
    assert is_apology(response.get_json(), "en-US")
    assert_apology_that_keeps_listening(launch)
    assert client.get("/healthz").status_code == 503


# -- PostgreSQL stopped and started for real ------------------------------------------------


def _cluster() -> list[str]:
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    if not versions or shutil.which("pg_ctlcluster") is None:
        pytest.skip("needs a local PostgreSQL cluster managed by pg_ctlcluster")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"]


def _others_connected(admin: Engine, ours: str) -> list[str]:
    """Clients of the server other than this test and the skill under test."""
    with admin.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT coalesce(nullif(application_name, ''), client_addr::text, '?') "
                    "FROM pg_stat_activity WHERE backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid() AND application_name <> :ours"
                ),
                {"ours": ours},
            ).scalars()
        )


def _wait_until_accepting(admin: Engine) -> None:
    deadline = time.monotonic() + SERVER_START_LIMIT_SECONDS
    while True:
        try:
            with admin.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # waiting for the server to come up, bounded


@pytest.fixture
def restartable_postgres_url() -> Iterator[str]:
    """A private schema whose set-up and clean-up survive a server restart (no pooling)."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    if urlsplit(base).hostname not in {"127.0.0.1", "localhost", "::1"}:
        pytest.skip("stops the server only when it runs on this machine")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(base), poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}&application_name={RESTARTED_APP}"
    finally:
        _wait_until_accepting(admin)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.pg_restart
def test_while_postgresql_is_stopped_the_skill_apologises_and_after_a_restart_it_works_again(
    restartable_postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    cluster = _cluster()
    admin = create_engine(normalize_url(os.environ[POSTGRES_ENV]), poolclass=NullPool)
    skill = make_skill(restartable_postgres_url)
    client = create_app({"SKILL": skill, "ALEXA_VERIFY": "0"}).test_client()
    alexa = Alexa(lambda event, _context: client.post("/", json=event).get_json(), user_id=USER)
    alexa.onboard()
    alexa.log_day(confidence=6)
    alexa.next_day()
    others = _others_connected(admin, RESTARTED_APP)
    if others:
        pytest.skip(f"other clients are using the server, not stopping it: {sorted(others)}")

    subprocess.run([*cluster, "stop"], check=True, capture_output=True, timeout=120)
    try:
        down_health = client.get("/healthz").status_code
        down_launch = alexa.launch()
        down_log = alexa.log_day(confidence=9)
    finally:
        subprocess.run([*cluster, "start"], check=True, capture_output=True, timeout=120)
        _wait_until_accepting(admin)
    up_health = client.get("/healthz").status_code
    up_log = alexa.log_day(confidence=9)
    admin.dispose()

    assert down_health == 503
    assert_apology_that_keeps_listening(down_launch)
    assert_apology_that_keeps_listening(down_log)
    assert up_health == 200
    assert not is_apology(up_log.envelope), up_log.speech
    assert "You've logged 2 days in a row." in up_log.speech
    assert logged_days(restartable_postgres_url) == logged_yesterday_and_today(alexa)


# -- a crash after the reply ----------------------------------------------------------------


def test_a_day_log_survives_the_process_being_killed_right_after_the_reply(
    database_url: str, tmp_path: Path, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(database_url)
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()
    events = [full_log_event(alexa, confidence=9)]
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    child = spawn.Process(
        target=workers.answer_then_crash,
        args=(database_url, str(tmp_path / "data"), events, results),
    )

    child.start()
    answers = results.get(timeout=120)
    child.join(timeout=60)

    assert child.exitcode == -signal.SIGKILL
    assert not is_apology(answers[0]), said(answers[0])
    assert logged_days(database_url) == [(alexa.now.date(), 9)]
    database_now(database_url)
