"""A hundred requests for one user at the same instant: one row, the right totals, no apology.

PostgreSQL is driven by threads sharing one skill (its connection pool); SQLite by separate
processes, each building its own skill on the same file, the way gunicorn workers or Lambda
containers would.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from skill.app import CoachSkill
from skill.db.models import DayLog, User
from skill.i18n import Strings
from tests.alexa import Alexa
from tests.databases import watching
from tests.reliability import workers
from tests.reliability.helpers import (
    assert_valid_response,
    consistency_problems,
    full_log_event,
    inspector,
    is_apology,
    said,
)
from tests.skill.helpers import journey_to_day_30, user_hash

PARALLEL = 100
USER = "amzn1.ask.account.CONCURRENT-USER"
RESULT_TIMEOUT_SECONDS = 180
EN = Strings("en-US")
ONE_DAY_STREAK = EN.text("log.streak", log_days=EN.count("unit.log_day", 1))
LOG_SAVED, LOG_UPDATED = EN.text("log.saved"), EN.text("log.updated")


def in_threads(skill: CoachSkill, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send every event at once, one thread each, through one skill."""
    start = threading.Barrier(len(events))

    def send(event: dict[str, Any]) -> dict[str, Any]:
        start.wait()
        return skill.invoke(event)

    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        return list(pool.map(send, events))


class Processes:
    """Spawned processes that each build their own skill for every batch they answer."""

    def __init__(self, count: int) -> None:
        spawn = multiprocessing.get_context("spawn")
        self.count = count
        self.manager = spawn.Manager()
        self.pool = ProcessPoolExecutor(max_workers=count, mp_context=spawn)

    def answer(self, url: str, data_dir: Path, events: list[dict[str, Any]]) -> list[Any]:
        """Send the events at once, spread over every process (each one blocks at a shared
        barrier until all have built their skill, so each takes exactly one share)."""
        start = self.manager.Barrier(self.count)
        shares = [
            self.pool.submit(
                workers.answer_together, url, str(data_dir), events[i :: self.count], start
            )
            for i in range(self.count)
        ]
        return [answer for share in shares for answer in share.result(RESULT_TIMEOUT_SECONDS)]

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        self.manager.shutdown()


@pytest.fixture(scope="module")
def ten_processes() -> Iterator[Processes]:
    processes = Processes(10)
    yield processes
    processes.close()


@pytest.fixture
def a_hundred_processes() -> Iterator[Processes]:
    processes = Processes(PARALLEL)
    yield processes
    processes.close()


def onboarded_alexa(skill: CoachSkill) -> Alexa:
    alexa = Alexa(lambda event, _context: skill.invoke(event), user_id=USER)
    alexa.onboard()
    return alexa


def assert_all_answered_normally(answers: list[Any]) -> None:
    assert len(answers) == PARALLEL
    for answer in answers:
        assert_valid_response(answer)
        assert not is_apology(answer), said(answer)


def assert_exactly_one_day_logged(url: str, answers: list[Any], day: date) -> None:
    assert_all_answered_normally(answers)
    for answer in answers:
        assert said(answer).startswith((LOG_SAVED, LOG_UPDATED)), said(answer)
    with inspector(url) as engine, engine.connect() as conn:
        totals = conn.execute(select(User.user_hash, User.log_days, User.log_run, User.last_log_on))
        days = conn.execute(select(DayLog.day, DayLog.contact, DayLog.confidence))
        assert [tuple(r) for r in totals] == [(user_hash(USER), 1, 1, day)]
        assert [tuple(d) for d in days] == [(day, "NONE", 7)]
        assert consistency_problems(engine) == []


def assert_exactly_one_user(url: str, answers: list[Any]) -> None:
    assert_all_answered_normally(answers)
    for answer in answers:
        assert answer["response"]["shouldEndSession"] is False  # the first reflect question
        assert answer["response"]["reprompt"]
    with inspector(url) as engine, engine.connect() as conn:
        hashes = conn.execute(select(User.user_hash)).scalars().all()
        assert hashes == [user_hash(USER)]
        assert consistency_problems(engine) == []


def launch_events(count: int) -> list[dict[str, Any]]:
    alexa = Alexa(lambda event, _context: {}, user_id=USER)
    return [alexa.envelope({"type": "LaunchRequest"}, new=True) for _ in range(count)]


# -- PostgreSQL: threads ----------------------------------------------------------------------


@pytest.mark.postgres
def test_a_hundred_simultaneous_day_logs_on_postgresql_store_one_day_with_a_streak_of_one(
    postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(postgres_url)
    alexa = onboarded_alexa(skill)
    events = [full_log_event(alexa) for _ in range(PARALLEL)]

    answers = in_threads(skill, events)

    assert_exactly_one_day_logged(postgres_url, answers, alexa.now.date())


@pytest.mark.postgres
def test_a_hundred_simultaneous_launches_of_a_new_user_on_postgresql_make_one_user(
    postgres_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(postgres_url)

    answers = in_threads(skill, launch_events(PARALLEL))

    assert_exactly_one_user(postgres_url, answers)


# -- SQLite: processes ------------------------------------------------------------------------


def test_a_hundred_simultaneous_day_logs_from_ten_processes_on_sqlite_store_one_day(
    sqlite_url: str,
    tmp_path: Path,
    make_skill: Callable[[str], CoachSkill],
    ten_processes: Processes,
) -> None:
    alexa = onboarded_alexa(make_skill(sqlite_url))
    events = [full_log_event(alexa) for _ in range(PARALLEL)]

    answers = ten_processes.answer(sqlite_url, tmp_path / "data", events)

    assert_exactly_one_day_logged(sqlite_url, answers, alexa.now.date())


def test_a_hundred_simultaneous_launches_from_ten_processes_on_a_new_sqlite_file_make_one_user(
    sqlite_url: str, tmp_path: Path, ten_processes: Processes
) -> None:
    answers = ten_processes.answer(sqlite_url, tmp_path / "data", launch_events(PARALLEL))

    assert_exactly_one_user(sqlite_url, answers)


@pytest.mark.slow
def test_a_hundred_simultaneous_day_logs_from_a_hundred_processes_on_sqlite_store_one_day(
    sqlite_url: str,
    tmp_path: Path,
    make_skill: Callable[[str], CoachSkill],
    a_hundred_processes: Processes,
) -> None:
    alexa = onboarded_alexa(make_skill(sqlite_url))
    events = [full_log_event(alexa) for _ in range(PARALLEL)]

    answers = a_hundred_processes.answer(sqlite_url, tmp_path / "data", events)

    assert_exactly_one_day_logged(sqlite_url, answers, alexa.now.date())


@pytest.mark.slow
def test_a_hundred_simultaneous_launches_from_a_hundred_processes_make_one_user(
    sqlite_url: str, tmp_path: Path, a_hundred_processes: Processes
) -> None:
    answers = a_hundred_processes.answer(sqlite_url, tmp_path / "data", launch_events(PARALLEL))

    assert_exactly_one_user(sqlite_url, answers)


# -- two requests overlapping, step by step ---------------------------------------------------


class Overlap:
    """Runs request `first` until it is about to execute `statement`, holds it there while
    request `second` runs from start to end, then lets `first` finish.

    Where the database serialises the two (SQLite's BEGIN IMMEDIATE), `second` cannot
    finish while `first` is held; `first` then gives up waiting after HOLD_SECONDS.
    """

    HOLD_SECONDS = 2

    def __init__(self, skill: CoachSkill, statement: str) -> None:
        self.skill = skill
        self.statement = statement
        self.holder: threading.Thread | None = None
        self.held = threading.Event()
        self.released = threading.Event()

    def _hold(self, _conn: Any, sql: str, _params: Any) -> None:
        mine = threading.current_thread() is self.holder and not self.held.is_set()
        if mine and sql.lstrip().startswith(self.statement):
            self.held.set()
            self.released.wait(self.HOLD_SECONDS)

    def run(self, first: dict[str, Any], second: dict[str, Any]) -> tuple[Any, Any]:
        answers: dict[str, Any] = {}

        def send(name: str, event: dict[str, Any]) -> None:
            answers[name] = self.skill.invoke(event)

        self.holder = threading.Thread(target=send, args=("first", first))
        other = threading.Thread(target=send, args=("second", second))
        with watching(self.skill.database, self._hold):
            self.holder.start()
            assert self.held.wait(RESULT_TIMEOUT_SECONDS), f"never reached {self.statement}"
            other.start()
            other.join(RESULT_TIMEOUT_SECONDS)
            self.released.set()
            self.holder.join(RESULT_TIMEOUT_SECONDS)
        return answers["first"], answers["second"]


def test_two_overlapping_logs_of_the_same_day_both_say_the_streak_is_one_day(
    database_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(database_url)
    alexa = onboarded_alexa(skill)

    first, second = Overlap(skill, "INSERT INTO day_logs").run(
        full_log_event(alexa), full_log_event(alexa)
    )

    assert ONE_DAY_STREAK in said(second), said(second)
    assert ONE_DAY_STREAK in said(first), said(first)


def test_two_overlapping_logs_either_side_of_midnight_count_both_days(
    database_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(database_url)
    alexa = onboarded_alexa(skill)
    alexa.log_day()
    alexa.now = alexa.now.replace(hour=23, minute=59, second=59)
    late = full_log_event(alexa.next_day())
    alexa.now = alexa.now.replace(hour=0, minute=0, second=1)
    early = full_log_event(alexa.next_day())

    first, second = Overlap(skill, "INSERT INTO day_logs").run(late, early)

    assert not is_apology(first) and not is_apology(second)
    with inspector(database_url) as engine, engine.connect() as conn:
        totals = conn.execute(select(User.log_days, User.log_run, User.last_log_on)).one()
        assert tuple(totals) == (3, 3, alexa.now.date())
        assert consistency_problems(engine) == []


def test_a_question_left_open_on_one_device_cannot_break_a_journey_restarted_on_another(
    sqlite_url: str, make_skill: Callable[[str], CoachSkill]
) -> None:
    skill = make_skill(sqlite_url)
    kitchen = Alexa(lambda e, _c: skill.invoke(e), user_id=USER, device_id="amzn1.ask.device.K")
    journey_to_day_30(kitchen)
    kitchen.intent("AmIReadyIntent")  # "Do you still want to get back together?"
    bedroom = Alexa(kitchen.handler, user_id=USER, device_id="amzn1.ask.device.B", now=kitchen.now)
    bedroom.intent("StartOverIntent")
    bedroom.say_yes()

    kitchen.say_no()  # the kitchen's question is still open
    kitchen.next_day()
    turn = kitchen.log_day(confidence=9)

    with inspector(sqlite_url) as engine, engine.connect() as conn:
        stored = set(conn.execute(select(DayLog.day)).scalars())
        assert consistency_problems(engine) == []
    assert turn.speech.startswith(LOG_SAVED) == (kitchen.now.date() in stored), turn.speech
