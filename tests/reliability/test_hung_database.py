"""A database that hangs (a frozen server, a black-holed failover) or drops the pool's
connections, on both ways in: the Lambda handler, and the Flask app in-process and under
gunicorn (`comeback-coach serve`).

A TCP relay between the skill and PostgreSQL stops relaying: nothing is refused or closed,
the bytes just stop. Every request still gets its answer within the request's database
budget (the spoken apology while it hangs), a connection that hung is closed and never
pooled again, and /healthz answers within 2 seconds: 503 while the database cannot answer,
200 once it can. When the server cuts every pooled connection, the next request and the next
health check go through as if nothing happened.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from skill.app import CoachSkill
from skill.db.database import POOL_LIMIT, REQUEST_BUDGET_SECONDS
from skill.db.models import DayLog, User
from skill.web import create_app
from tests.alexa import Alexa
from tests.reliability.helpers import (
    assert_valid_response,
    full_log_event,
    inspector,
    is_apology,
)
from tests.reliability.test_faults import Relay, terminate
from tests.skill.helpers import PEPPER, user_hash
from tests.web.test_web_gunicorn import free_port, running

USER = "amzn1.ask.account.HUNG-DATABASE-USER"
#: Alexa waits 8 seconds; the skill's budget is below it. What a caller may wait at most:
#: the budget, and the time it takes to build the apology on a busy test machine.
ANSWER_LIMIT_SECONDS = REQUEST_BUDGET_SECONDS + 1.5
HEALTH_LIMIT_SECONDS = 2.0


class Timed:
    """What a call returned and how long it took."""

    def __init__(self, call: Callable[[], Any]) -> None:
        started = time.monotonic()
        self.value = call()
        self.seconds = time.monotonic() - started


@pytest.fixture
def relay(postgres_url: str) -> Iterator[tuple[Relay, str]]:
    """A relay in front of the test server, and the test schema's URL through it (its
    connections marked with an application name of their own)."""
    parts = urlsplit(postgres_url)
    relay = Relay(parts.hostname or "127.0.0.1", parts.port or 5432)
    relayed = parts._replace(netloc=f"{parts.username}@127.0.0.1:{relay.port}").geturl()
    try:
        yield relay, f"{relayed}&application_name=coach-hung-{uuid.uuid4().hex[:12]}"
    finally:
        relay.close()


def application_name(url: str) -> str:
    return url.rsplit("application_name=", 1)[1]


def closed_by_the_skill(relay: Relay) -> bool:
    """Whether every connection the relay held bytes of was closed by the skill's side
    (waited for, bounded: the close happens as the deadline passes)."""
    for _ in range(100):
        if relay.stuck <= relay.closed_by_client:
            return True
        time.sleep(0.05)
    return False


def held_by_the_relay(relay: Relay, connections: int) -> None:
    """Wait (bounded) until the relay holds the bytes of that many connections."""
    for _ in range(200):
        if len(relay.stuck) >= connections:
            return
        time.sleep(0.02)
    raise AssertionError(f"only {len(relay.stuck)} connections reached the relay")


def assert_apology_in_time(answer: Timed) -> None:
    assert_valid_response(answer.value)
    assert is_apology(answer.value, "en-US")
    assert answer.seconds < ANSWER_LIMIT_SECONDS, answer.seconds


@pytest.mark.postgres
def test_on_lambda_a_hung_server_gets_the_apology_in_time_and_the_stuck_connection_is_closed(
    relay: tuple[Relay, str], lambda_on: Callable[[str], Any]
) -> None:
    relay_, url = relay
    module = lambda_on(url)
    alexa = Alexa(module.handler, user_id=USER)
    alexa.onboard()
    alexa.log_day(confidence=6)
    alexa.next_day()

    relay_.flowing.clear()
    during = Timed(lambda: module.handler(full_log_event(alexa, confidence=9), None))
    relay_.flowing.set()
    after = alexa.log_day(confidence=9)

    assert_apology_in_time(during)
    assert relay_.stuck, "the request's statement was held by the relay"
    assert closed_by_the_skill(relay_), "the connection that hung was closed, not pooled"
    assert not is_apology(after.envelope), after.speech
    assert [c for _, c in logged_days_of(url, alexa)] == [6, 9]


@pytest.mark.postgres
def test_on_a_cold_start_a_hung_server_gets_the_apology_in_time_and_later_the_schema_is_made(
    relay: tuple[Relay, str], lambda_on: Callable[[str], Any]
) -> None:
    relay_, url = relay
    module = lambda_on(url)  # a new container on a new database: the schema is made on first use
    users = [Alexa(module.handler, user_id=f"{USER}-{n}") for n in range(3)]

    relay_.flowing.clear()
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        launches = [a.envelope({"type": "LaunchRequest"}) for a in users]
        cold = list(pool.map(lambda e: Timed(lambda: module.handler(e, None)), launches))
    relay_.flowing.set()
    warm = users[0].onboard()

    for answer in cold:
        assert_apology_in_time(answer)
    assert not is_apology(warm.envelope), warm.speech


@pytest.mark.postgres
def test_when_every_pooled_connection_hangs_requests_and_health_checks_still_answer_in_time(
    relay: tuple[Relay, str], make_skill: Callable[[str], CoachSkill]
) -> None:
    relay_, url = relay
    skill = make_skill(url)
    client = create_app({"SKILL": skill, "ALEXA_VERIFY": "0"}).test_client()
    users = [Alexa(lambda e, _c: skill.invoke(e), user_id=f"{USER}-{n}") for n in range(8)]
    for alexa in users:
        alexa.onboard()
    with ThreadPoolExecutor(max_workers=POOL_LIMIT) as pool:  # fill the pool
        list(pool.map(lambda a: skill.invoke(full_log_event(a, confidence=5)), users))
    healthy_before = client.get("/healthz").status_code
    for alexa in users:
        alexa.next_day()

    relay_.flowing.clear()
    # More requests than the pool has connections: the ones past the limit wait for one.
    with ThreadPoolExecutor(max_workers=len(users) + 1) as pool:
        answers = [
            pool.submit(Timed, lambda a=a: skill.invoke(full_log_event(a, confidence=8)))
            for a in users
        ]
        held_by_the_relay(relay_, POOL_LIMIT)  # every connection is stuck now
        health_while_hung = pool.submit(Timed, lambda: client.get("/healthz").status_code)
        hung = [a.result() for a in answers]
        health_hung = health_while_hung.result()
    relay_.flowing.set()
    health_after = Timed(lambda: client.get("/healthz").status_code)
    after = [skill.invoke(full_log_event(a, confidence=9)) for a in users]

    assert healthy_before == 200
    for answer in hung:
        assert_apology_in_time(answer)
    assert health_hung.value == 503
    assert health_hung.seconds < HEALTH_LIMIT_SECONDS, health_hung.seconds
    assert closed_by_the_skill(relay_), "no connection that hung went back to the pool"
    assert health_after.value == 200
    for answer in after:
        assert not is_apology(answer), answer
    assert [c for _, c in logged_days_of(url, users[0])] == [5, 9]


def logged_days_of(url: str, alexa: Alexa) -> list[tuple[Any, ...]]:
    """(day, confidence) of every day row of that user, oldest first."""
    with inspector(url) as engine, engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(DayLog.day, DayLog.confidence)
                .join(User, User.id == DayLog.user_id)
                .where(User.user_hash == user_hash(alexa.user_id))
                .order_by(DayLog.day)
            )
        ]


@pytest.mark.postgres
def test_after_the_server_cuts_every_pooled_connection_the_next_request_and_health_check_pass(
    postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    url = f"{postgres_url}&application_name=coach-cut-{uuid.uuid4().hex[:12]}"
    skill = make_skill(url)
    client = create_app({"SKILL": skill, "ALEXA_VERIFY": "0"}).test_client()
    alexa = Alexa(lambda event, _c: client.post("/", json=event).get_json(), user_id=USER)
    alexa.onboard()
    others = [Alexa(lambda e, _c: skill.invoke(e), user_id=f"{USER}-{n}") for n in range(4)]
    for other in others:
        other.onboard()
    with ThreadPoolExecutor(max_workers=len(others)) as pool:  # several idle connections
        list(pool.map(lambda a: skill.invoke(full_log_event(a, confidence=5)), others))

    cut = terminate("application_name = :name", name=application_name(url))
    health = client.get("/healthz").status_code
    cut_again = terminate("application_name = :name", name=application_name(url))
    turn = alexa.log_day(confidence=8)

    assert cut >= 3, "the pool held several connections, all cut at once"
    assert cut_again >= 1
    assert health == 200
    assert not is_apology(turn.envelope), turn.speech
    assert [c for _, c in logged_days_of(url, alexa)] == [8]


def post(base: str, event: dict[str, Any]) -> Timed:
    def call() -> Any:
        with requests.Session() as session:
            session.trust_env = False
            answer = session.post(f"{base}/", json=event, timeout=30)
            assert answer.status_code == 200
            return answer.json()

    return Timed(call)


def health(base: str) -> Timed:
    def call() -> int:
        with requests.Session() as session:
            session.trust_env = False
            return session.get(f"{base}/healthz", timeout=30).status_code

    return Timed(call)


@pytest.mark.postgres
def test_under_gunicorn_a_hung_server_and_cut_connections_are_answered_in_time(
    relay: tuple[Relay, str], tmp_path: Path
) -> None:
    relay_, url = relay
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALEXA_", "DATABASE_"))}
    env.update(
        DATABASE_URL=url,
        USER_ID_PEPPER=PEPPER,
        COACH_DATA_DIR=str(tmp_path),
        ALEXA_VERIFY="0",
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    command = [sys.executable, "-m", "skill.cli", "serve", "--port", str(port), "--workers", "1"]
    users = [Alexa(lambda e, _c: {}, user_id=f"{USER}-{n}") for n in range(3)]
    with running(command, env, port, tmp_path / "serve.log") as base:
        for alexa in users:
            alexa.handler = lambda event, _c: post(base, event).value
            alexa.onboard()
            assert not is_apology(alexa.log_day(confidence=5).envelope)
            alexa.next_day()

        relay_.flowing.clear()
        with ThreadPoolExecutor(max_workers=len(users) + 1) as pool:
            answers = [pool.submit(post, base, full_log_event(a, confidence=8)) for a in users]
            held_by_the_relay(relay_, len(users))
            health_while_hung = pool.submit(health, base)
            hung = [a.result() for a in answers]
            health_hung = health_while_hung.result()
        relay_.flowing.set()
        health_back = health(base)

        cut = terminate("application_name = :name", name=application_name(url))
        health_after_cut = health(base)
        terminate("application_name = :name", name=application_name(url))
        after_cut = [post(base, full_log_event(a, confidence=9)) for a in users]

    for answer in hung:
        assert_apology_in_time(answer)
    assert health_hung.value == 503
    assert health_hung.seconds < HEALTH_LIMIT_SECONDS, health_hung.seconds
    assert closed_by_the_skill(relay_)
    assert health_back.value == 200
    assert cut >= 1
    assert health_after_cut.value == 200
    for answer in after_cut:
        assert not is_apology(answer.value), answer.value
    assert [c for _, c in logged_days_of(url, users[0])] == [5, 9]
