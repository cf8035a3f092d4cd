"""The data layer on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from skill import services
from skill.db.database import Database, make_database
from skill.db.engine import make_engine
from skill.db.migrate import HEAD, current_revision, ensure_schema, head_revision, upgrade
from skill.db.models import Base, DayLog, User
from skill.db.uow import Conflict, SqlUnitOfWork, UnitOfWork, unit_of_work
from skill.domain.model import Activity, Contact, DayEntry, Stage
from skill.services import Caller, hash_user_id
from tests.databases import TRANSACTION_CONTROL, watching

NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def database(engine: Engine, database_url: str) -> Iterator[Database]:
    database = make_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def uow(database: Database) -> UnitOfWork:
    return unit_of_work(database)


def caller(name: str = "user-1", now: datetime = NOON, lookup=None) -> Caller:  # type: ignore[no-untyped-def]
    return Caller(hash_user_id(name, "pepper"), "en-US", now, lookup)


def onboard(uow: SqlUnitOfWork, who: Caller) -> None:
    services.open_session(uow, who)
    services.answer_worth_pursuing(uow, who, worth_it=True)


class StatementCounter:
    """Every statement the request path sends (transaction control aside)."""

    def __init__(self, database: Database) -> None:
        self.statements: list[str] = []
        self._watch = watching(database, self._on)
        self._watch.__enter__()

    @property
    def count(self) -> int:
        return len(self.statements)

    def _on(self, _connection: object, sql: str, _params: object) -> None:
        if sql not in TRANSACTION_CONTROL:
            self.statements.append(sql)

    def close(self) -> None:
        self._watch.__exit__(None, None, None)


def test_upgrade_head_on_an_empty_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    database = make_database(database_url)
    assert current_revision(database) is None
    upgrade(engine)
    assert current_revision(database) == head_revision()
    database.dispose()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert {"users", "day_logs", "alembic_version"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_head_the_skill_checks_for_is_alembics_head() -> None:
    assert head_revision() == HEAD


def test_bringing_the_schema_to_head_twice_changes_nothing(
    engine: Engine, database: Database
) -> None:
    ensure_schema(database)
    upgrade(engine)
    assert current_revision(database) == head_revision()


def test_the_database_allows_one_day_log_per_user_per_day(engine: Engine) -> None:
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User).values(user_hash="h" * 64, locale="en-US", stage="no_contact")
        ).inserted_primary_key[0]
        conn.execute(insert(DayLog).values(user_id=user_id, day=date(2026, 1, 1), contact="NONE"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(DayLog).values(user_id=user_id, day=date(2026, 1, 1), contact="SOME"))


def test_logging_twice_the_same_day_keeps_one_row_with_the_newest_answers(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    who = caller()
    onboard(uow, who)
    services.log_day(uow, who, Contact.NONE, Activity.HOBBY, 5)
    result = services.log_day(uow, who, Contact.NECESSARY, Activity.FRIENDS, 8)
    assert result.updated
    assert result.status.log_streak == 1
    with engine.connect() as conn:
        rows = conn.execute(select(DayLog.contact, DayLog.activity, DayLog.confidence)).all()
    assert rows == [("NECESSARY", "FRIENDS", 8)]


def test_only_an_hmac_of_the_user_id_is_stored(uow: SqlUnitOfWork, engine: Engine) -> None:
    who = caller("amzn1.ask.account.SECRET")
    onboard(uow, who)
    with engine.connect() as conn:
        hashes = conn.execute(select(User.user_hash)).scalars().all()
    assert hashes == [hash_user_id("amzn1.ask.account.SECRET", "pepper")]
    assert "SECRET" not in hashes[0]


def test_deleting_a_user_removes_every_row_they_own_and_nobody_elses(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    alice, bob = caller("alice"), caller("bob")
    for who in (alice, bob):
        onboard(uow, who)
        services.log_day(uow, who, Contact.NONE, Activity.HOBBY, 6)
    assert services.delete_user(uow, alice.user_hash)
    assert not services.delete_user(uow, alice.user_hash)
    with engine.connect() as conn:
        users = conn.execute(select(User.user_hash)).scalars().all()
        logs = conn.execute(select(func.count()).select_from(DayLog)).scalar()
    assert users == [bob.user_hash]
    assert logs == 1


def test_a_failed_request_writes_nothing(uow: SqlUnitOfWork, engine: Engine) -> None:
    who = caller()
    onboard(uow, who)
    with pytest.raises(ValueError):
        services.log_day(uow, who, Contact.SOME, Activity.HOBBY, 11)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DayLog)).scalar() == 0
        assert conn.execute(select(User.last_contact_on)).scalar() is None


def test_two_requests_creating_the_same_user_at_once_make_one_row(
    engine: Engine, database: Database
) -> None:
    who = caller("racer")
    errors: list[BaseException] = []

    def launch() -> None:
        try:
            services.open_session(unit_of_work(database), who)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=launch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar() == 1


def test_the_time_zone_is_asked_once_a_day_and_kept_when_the_lookup_fails(
    uow: SqlUnitOfWork, engine: Engine
) -> None:
    answers = ["Pacific/Auckland", None, None]
    calls: list[int] = []

    def lookup() -> str | None:
        calls.append(1)
        return answers[len(calls) - 1]

    late_evening_utc = datetime(2026, 5, 4, 20, 0, tzinfo=UTC)  # already the 5th in Auckland
    status = services.open_session(uow, caller(now=late_evening_utc, lookup=lookup))
    assert status.today == date(2026, 5, 5)
    services.open_session(uow, caller(now=late_evening_utc + timedelta(minutes=5), lookup=lookup))
    assert len(calls) == 1
    next_day = late_evening_utc + timedelta(days=1)
    status = services.open_session(uow, caller(now=next_day, lookup=lookup))
    assert len(calls) == 2
    assert status.today == date(2026, 5, 6)  # the last known zone, not UTC
    with engine.connect() as conn:
        assert conn.execute(select(User.time_zone)).scalar() == "Pacific/Auckland"


def test_a_user_with_no_known_zone_counts_days_in_utc(uow: SqlUnitOfWork) -> None:
    status = services.open_session(uow, caller(now=datetime(2026, 5, 4, 23, 59, tzinfo=UTC)))
    assert status.today == date(2026, 5, 4)


def test_request_work_does_not_grow_with_the_length_of_the_history(
    uow: SqlUnitOfWork, engine: Engine, database: Database
) -> None:
    veteran, newcomer = caller("veteran"), caller("newcomer")
    onboard(uow, newcomer)
    onboard(uow, veteran)
    with engine.begin() as conn:
        user_id = conn.execute(
            select(User.id).where(User.user_hash == veteran.user_hash)
        ).scalar_one()
        conn.execute(
            insert(DayLog),
            [
                {
                    "user_id": user_id,
                    "day": NOON.date() - timedelta(days=i),
                    "contact": "NONE",
                    "activity": "HOBBY",
                    "confidence": 7,
                }
                for i in range(1, 3 * 365)
            ],
        )

    def measure(who: Caller) -> tuple[int, int]:
        counter = StatementCounter(database)
        try:
            services.log_day(uow, who, Contact.NONE, Activity.FRIENDS, 8)
            services.check_readiness(uow, who)
            services.weekly_progress(uow, who)
            services.status(uow, who)
            services.status(uow, who, history=True)
            services.weekly_progress(uow, who, history=True)
        finally:
            counter.close()
        reads = [s for s in counter.statements if s.startswith("SELECT") and "day_logs" in s]
        return counter.count, len(reads)

    assert measure(newcomer) == measure(veteran)
    readiness = services.check_readiness(uow, veteran).readiness
    assert next(c for c in readiness.conditions if c.key == "logs").have == 7


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
    database = make_database(sqlite_url)
    assert database.scalar("PRAGMA journal_mode") == "wal"
    assert database.scalar("PRAGMA foreign_keys") == 1
    database.dispose()


def test_a_slip_is_stored_and_survives_the_next_request(uow: SqlUnitOfWork) -> None:
    who = caller()
    onboard(uow, who)
    later = caller(now=NOON + timedelta(days=10))
    services.record_slip(uow, later)
    status = services.status(uow, caller(now=NOON + timedelta(days=12)))
    assert status.no_contact_days == 2
    assert status.best_streak == 10
    assert status.stage is Stage.NO_CONTACT


def test_a_screen_reads_exactly_the_days_it_shows_however_they_fall(
    uow: SqlUnitOfWork, engine: Engine, database: Database
) -> None:
    """The days read for a screen are exactly the days it needs, however they fall: daily
    logs for years, sparse logs, slips without a log, a user with nothing. The expected
    days come from every row of the user, read with SQLAlchemy."""
    shapes = {
        "daily": [(i, 7) for i in range(0, 3 * 365)],
        "sparse": [(i * 40, 5) for i in range(20)],
        "slips": [(i, None) for i in range(0, 30, 3)] + [(i, 6) for i in range(1, 30, 3)],
        "few": [(2, 8), (9, None)],
        "none": [],
    }
    for name, days in shapes.items():
        who = caller(name)
        onboard(uow, who)
        with engine.begin() as conn:
            user_id = conn.execute(
                select(User.id).where(User.user_hash == who.user_hash)
            ).scalar_one()
            for back, confidence in days:
                conn.execute(
                    insert(DayLog).values(
                        user_id=user_id,
                        day=NOON.date() - timedelta(days=back),
                        contact="NONE" if confidence else "SOME",
                        activity="HOBBY" if confidence else None,
                        confidence=confidence,
                    )
                )
    first = NOON.date() - timedelta(days=13)
    for name in shapes:
        who = caller(name)
        with engine.connect() as conn:
            every = [
                DayEntry(day, Contact(contact), Activity(activity) if activity else None, level)
                for day, contact, activity, level in conn.execute(
                    select(DayLog.day, DayLog.contact, DayLog.activity, DayLog.confidence)
                    .join(User, User.id == DayLog.user_id)
                    .where(User.user_hash == who.user_hash)
                    .order_by(DayLog.day)
                )
            ]
        recent = [e for e in every if e.day >= first]
        with uow:
            user = uow.repo.get_user(who.user_hash)
            assert user is not None
            entries = uow.repo.get_days(user, first, logs=14)
        assert [e for e in entries if e.day >= first] == recent, name
        assert [e for e in entries if e.is_log][-14:] == [e for e in every if e.is_log][-14:], name
        assert len(entries) <= 2 * 14, name
        with uow:
            user = uow.repo.get_user(who.user_hash)
            assert user is not None
            days = uow.repo.get_days(user, first)
        assert days == recent, name
    with uow:
        assert uow.repo.get_user("nobody") is None


def test_a_request_that_changes_nothing_writes_nothing_and_a_change_writes_only_its_columns(
    uow: SqlUnitOfWork, database: Database
) -> None:
    who = caller()
    onboard(uow, who)
    services.status(uow, who)
    counter = StatementCounter(database)
    try:
        services.status(uow, who)
        services.log_day(uow, who, Contact.NONE, Activity.HOBBY, 7)
    finally:
        counter.close()
    status_statements, log_statements = counter.statements[:1], counter.statements[1:]
    assert [s.split()[0] for s in status_statements] == ["SELECT"]
    update = next(s for s in log_statements if "UPDATE users" in s)
    assigned = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert "stage" not in assigned and "user_hash" not in assigned
    assert "log_days" in assigned


def test_a_write_after_someone_else_changed_the_user_is_run_again(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    database = make_database(database_url)
    who = caller()
    onboard(unit_of_work(database), who)
    tomorrow = caller(now=NOON + timedelta(days=1))

    # A reads, B logs and commits, then A's write finds the row changed: Conflict.
    first = unit_of_work(database)
    with first:
        user = first.repo.get_user(who.user_hash)  # a question's read: no lock
        assert user is not None
        services.log_day(unit_of_work(database), tomorrow, Contact.NONE, Activity.HOBBY, 6)
        user.journey.log_days += 5
        with pytest.raises(Conflict):
            first.commit()
    assert services.status(unit_of_work(database), tomorrow).log_days == 1

    # Through a use case the clash is invisible. A tip (which reads without locking) is
    # about to store today's tip (its transaction opens for that write) when a log from
    # another device lands: the tip's guarded write finds the row changed, the tip is
    # worked out again, and the log is not undone.
    interfere = [True]
    later = caller(now=NOON + timedelta(days=2))

    def log_elsewhere_once(_connection: object, sql: str, _params: object) -> None:
        if interfere and sql.startswith("BEGIN"):
            interfere.clear()
            services.log_day(unit_of_work(database), later, Contact.NONE, Activity.FRIENDS, 3)

    with watching(database, log_elsewhere_once):
        tip = services.tip_of_the_day(unit_of_work(database), later, lambda _stage: 14)
    assert not interfere
    assert tip.status.logged_today
    status = services.status(unit_of_work(database), later)
    assert status.log_days == 2
    assert status.logged_today
    again = services.tip_of_the_day(unit_of_work(database), later, lambda _stage: 14)
    assert again.tip == tip.tip  # the tip was stored too
    database.dispose()
