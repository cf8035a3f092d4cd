"""The requests a benchmark sends and the data it sends them against.

- `mix`: the realistic request mix (launch, a day log with every slot, streak, tip,
  am-I-ready, progress), one-shot sessions the way people use the skill.
- `seed_journey`: a user who onboarded `days` ago and logged every day since, driven
  through the real handler so every running total is the skill's own.
- `clone_users`: copies of such a user under other ids, in one transaction.
- `seed_filler_users`: many other users with a few day logs each, bulk-inserted
  (executemany in one transaction on SQLite, COPY on PostgreSQL).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from itertools import cycle, islice
from typing import Any

from sqlalchemy import Engine, create_engine, insert, select, text

from benchmarks.common import NOW, PEPPER, Handler
from skill.db import repository
from skill.db.engine import normalize_url
from skill.db.models import Base
from skill.domain import rules
from skill.services import hash_user_id
from tests.alexa import Alexa

#: (spoken, id) of the ACTIVITY slot, varied so the readiness check sees several activities.
ACTIVITIES = (
    ("gym", "EXERCISE"),
    ("saw friends", "FRIENDS"),
    ("painting", "HOBBY"),
    ("a haircut", "NEW_LOOK"),
    ("meditation", "SELF_CARE"),
)
MIX = ("launch", "log day", "streak", "tip", "am I ready", "progress")


def user_id(prefix: str, n: int) -> str:
    """An Alexa-looking user id."""
    return f"amzn1.ask.account.{prefix.upper()}{n:08d}"


class Device(Alexa):
    """The test driver, plus envelopes built without being sent."""

    def __init__(self, handler: Handler, **kwargs: Any) -> None:
        kwargs.setdefault("now", NOW)
        super().__init__(handler, **kwargs)

    def one_shot(self, request: dict[str, Any]) -> dict[str, Any]:
        """An envelope that opens a new session ("Alexa, ask comeback coach ...")."""
        self.end_session()
        event = self.envelope(request)
        self.end_session()
        return event

    def intent_event(self, name: str, **slots: str | tuple[str, str]) -> dict[str, Any]:
        """A one-shot IntentRequest; a (spoken, id) slot carries an ER_SUCCESS_MATCH."""
        built: dict[str, Any] = {}
        for slot, value in slots.items():
            entry: dict[str, Any] = {"name": slot, "confirmationStatus": "NONE"}
            if isinstance(value, tuple):
                spoken, value_id = value
                entry["value"] = spoken
                entry["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {
                            "authority": f"amzn1.er-authority.echo-sdk.{self.skill_id}.{slot}",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": spoken, "id": value_id}}],
                        }
                    ]
                }
            else:
                entry["value"] = value
            built[slot] = entry
        return self.one_shot(
            {
                "type": "IntentRequest",
                "intent": {"name": name, "confirmationStatus": "NONE", "slots": built},
            }
        )


def mix(device: Device, n: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """The realistic mix for one user, as (kind, event); `n` varies the day log."""
    spoken, activity = ACTIVITIES[n % len(ACTIVITIES)]
    return [
        ("launch", device.one_shot({"type": "LaunchRequest"})),
        (
            "log day",
            device.intent_event(
                "LogDayIntent",
                contact=("no contact", "NONE"),
                activity=(spoken, activity),
                confidence=str(6 + n % 4),
            ),
        ),
        ("streak", device.intent_event("StreakIntent")),
        ("tip", device.intent_event("DailyTipIntent")),
        ("am I ready", device.intent_event("AmIReadyIntent")),
        ("progress", device.intent_event("ProgressIntent")),
    ]


def rounds_of(devices: Sequence[Device]) -> Callable[[int], list[tuple[str, dict[str, Any]]]]:
    """Round r's requests: the mix for the r-th user of the pool (cycling)."""
    return lambda r: mix(devices[r % len(devices)], r)


def seed_journey(handler: Handler, who: str, days: int, now: datetime = NOW) -> None:
    """Onboard `days` days before `now` and log every day up to yesterday, through `handler`."""
    device = Device(handler, user_id=who, now=now - timedelta(days=days))
    device.onboard()
    activities = cycle(spoken for spoken, _ in ACTIVITIES)
    for i in range(days):
        turn = device.log_day("no contact", next(activities), 6 + i % 4)
        if "logged" not in turn.speech and "updated" not in turn.speech:
            raise RuntimeError(f"seeding failed on day {i}: {turn.speech!r}")
        device.next_day()


def clone_users(engine: Engine, source: str, targets: Sequence[str]) -> None:
    """Copy one user's row and day logs to other user ids, in one transaction."""
    users, days = Base.metadata.tables["users"], Base.metadata.tables["day_logs"]
    with engine.begin() as conn:
        row = conn.execute(
            select(users).where(users.c.user_hash == hash_user_id(source, PEPPER))
        ).one()
        values = {k: v for k, v in row._mapping.items() if k not in ("id", "created_at")}
        logs = [
            dict(r._mapping)
            for r in conn.execute(
                select(days.c.day, days.c.contact, days.c.activity, days.c.confidence).where(
                    days.c.user_id == row.id
                )
            )
        ]
        for target in targets:
            values["user_hash"] = hash_user_id(target, PEPPER)
            key = conn.execute(insert(users).values(values)).inserted_primary_key
            assert key is not None
            new_id = key[0]
            if logs:
                conn.execute(insert(days), [{**log, "user_id": new_id} for log in logs])


def seed_pool(
    handler: Handler, engine: Engine, prefix: str, size: int, days: int, now: datetime = NOW
) -> list[str]:
    """`size` users with `days` days of daily logs up to `now`: one driven through the
    handler, the rest cloned from it. Returns their user ids."""
    ids = [user_id(prefix, n) for n in range(size)]
    seed_journey(handler, ids[0], days, now)
    clone_users(engine, ids[0], ids[1:])
    return ids


# -- many other users, fast ---------------------------------------------------------------

#: The skill's own list, so a filler row always has every column the skill reads.
USER_COLUMNS = repository.USER_COLUMNS
DAY_COLUMNS = ("user_id", "day", "contact", "activity", "confidence")
#: Filler users started between 1 and this many days ago.
LONGEST_JOURNEY = 400
COPY_CHUNK = 20_000


class Fillers:
    """Users 1..count, a realistic spread of journeys, each with its last `days` day logs.

    Rows are built the way the skill stores them (ISO dates, booleans as 0/1, tips_seen as
    JSON), as tuples for SQLite and as COPY text lines for PostgreSQL.
    """

    def __init__(self, count: int, days: int, today: date) -> None:
        self.count = count
        self.days = days
        self.dates = [
            (today - timedelta(days=k)).isoformat() for k in range(LONGEST_JOURNEY + days + 4)
        ]
        self.milestones = [
            sum(1 << k for k, m in enumerate(rules.MILESTONES) if journey >= m)
            for journey in range(LONGEST_JOURNEY + 1)
        ]
        self.activities = [a for _, a in ACTIVITIES]

    def _users(self) -> Iterator[tuple[int, str, str, str, str, int]]:
        for i in range(1, self.count + 1):
            journey = 1 + i % LONGEST_JOURNEY
            stage = "no_contact" if journey < rules.CONFIDENCE_STAGE_DAYS else "confidence"
            yield (
                i,
                hash_user_id(user_id("filler", i), PEPPER),
                self.dates[1 + i % 3],
                stage,
                self.dates[journey],
                self.milestones[journey],
            )

    def user_rows(self) -> Iterator[tuple[Any, ...]]:
        """users rows in USER_COLUMNS order."""
        n = self.days
        for i, digest, last_log, stage, started, milestones in self._users():
            yield (
                i, digest, "en-US", "America/New_York", last_log, stage, started, None, 0, 0,
                milestones, 0, n, last_log, n, None, None, None, "{}", None, None, 0, None, None,
                i,
            )  # fmt: skip

    def user_lines(self) -> Iterator[str]:
        """The same rows as COPY text lines."""
        n = self.days
        for i, digest, last_log, stage, started, milestones in self._users():
            yield (
                f"{i}\t{digest}\ten-US\tAmerica/New_York\t{last_log}\t{stage}\t{started}\t\\N"
                f"\t0\t0\t{milestones}\t0\t{n}\t{last_log}\t{n}\t\\N\t\\N\t\\N\t{{}}"
                f"\t\\N\t\\N\t0\t\\N\t\\N\t{i}\n"
            )

    def day_rows(self) -> Iterator[tuple[int, str, str, str, int]]:
        """day_logs rows in DAY_COLUMNS order."""
        activities, dates = self.activities, self.dates
        for i in range(1, self.count + 1):
            for d in range(self.days):
                yield (i, dates[1 + i % 3 + d], "NONE", activities[(i + d) % 5], 5 + (i + d) % 5)

    def day_lines(self) -> Iterator[str]:
        """The same rows as COPY text lines."""
        for i, day, contact, activity, confidence in self.day_rows():
            yield f"{i}\t{day}\t{contact}\t{activity}\t{confidence}\n"


def seed_filler_users(url: str, count: int, days: int, today: date | None = None) -> float:
    """Bulk-insert `count` users (ids 1..count) with `days` day logs each into an empty,
    migrated database; returns the seconds it took. Run it before any other user exists.

    It uses its own engine: the skill's has a statement timeout meant for requests."""
    started = time.perf_counter()
    fillers = Fillers(count, days, today or NOW.date())
    engine = create_engine(normalize_url(url))
    try:
        if engine.dialect.name == "postgresql":
            _copy_postgres(engine, fillers)
        else:
            _insert_sqlite(engine, fillers)
    finally:
        engine.dispose()
    return time.perf_counter() - started


def _insert_sqlite(engine: Engine, fillers: Fillers) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        # A cache big enough for the user_hash index: random inserts then stay in memory.
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("PRAGMA synchronous = OFF")  # a throwaway database: no fsync needed
        cursor.execute("BEGIN")
        for table, columns, rows in (
            ("users", USER_COLUMNS, fillers.user_rows()),
            ("day_logs", DAY_COLUMNS, fillers.day_rows()),
        ):
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        cursor.execute("COMMIT")
        cursor.close()
    finally:
        raw.close()


def _copy_postgres(engine: Engine, fillers: Fillers) -> None:
    raw = engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        _skip_foreign_key_checks(connection)
        with connection.cursor() as cursor:
            for table, columns, lines in (
                ("users", USER_COLUMNS, fillers.user_lines()),
                ("day_logs", DAY_COLUMNS, fillers.day_lines()),
            ):
                cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN", _ChunkReader(lines)
                )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"
            )
        connection.commit()
    finally:
        raw.close()
    # What autovacuum would have done by the time such a table serves requests.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE users"))
        conn.execute(text("VACUUM ANALYZE day_logs"))


class _ChunkReader:
    """A file to COPY from, read a chunk of lines at a time (the lines are never all in
    memory at once)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._left = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._left) < size:
            chunk = "".join(islice(self._lines, COPY_CHUNK))
            if not chunk:
                break
            self._left += chunk.encode()
        if size < 0:
            found, self._left = self._left, b""
        else:
            found, self._left = self._left[:size], self._left[size:]
        return found

    def readline(self, size: int = -1) -> bytes:  # copy_expert reads with read()
        return self.read(size)


def _skip_foreign_key_checks(connection: Any) -> None:
    # Every filler day log points at a filler user by construction; checking each of millions
    # of rows costs more than the load itself. Needs a superuser; without one, rows are checked.
    import psycopg2

    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    except psycopg2.Error:
        connection.rollback()
