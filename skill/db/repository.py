"""The only place that writes SQL: users and their day entries.

Statements are plain SQL on the driver (see `database.py` for why), written once with
:name parameters and kept in step with `models.py` by the integration tests, which run
every one of them on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import random
from dataclasses import fields
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from skill.db.database import Dialect, for_dialect
from skill.domain.model import Activity, Contact, DayEntry, Journey, Stage

if TYPE_CHECKING:
    from skill.db.uow import Runner

#: Every column of `users` the skill reads or writes, in SELECT order.
USER_COLUMNS = (
    "id",
    "user_hash",
    "locale",
    "time_zone",
    "zone_checked_on",
    "stage",
    "started_on",
    "last_contact_on",
    "best_run",
    "slip_days",
    "milestones",
    "unsafe",
    "log_days",
    "last_log_on",
    "log_run",
    "tip_day",
    "tip_stage",
    "tip_index",
    "tips_seen",
    "slip_prev_stage",
    "slip_prev_contact_on",
    "reminder_offered",
    "reminder_token",
    "reminder_time",
    "revision",
)
_DATES = frozenset(
    {
        "zone_checked_on",
        "started_on",
        "last_contact_on",
        "last_log_on",
        "tip_day",
        "slip_prev_contact_on",
    }
)
_BOOLS = frozenset({"unsafe", "reminder_offered"})
_DATE_AT = tuple(i for i, name in enumerate(USER_COLUMNS) if name in _DATES)
_BOOL_AT = tuple(i for i, name in enumerate(USER_COLUMNS) if name in _BOOLS)
_WIDTH = len(USER_COLUMNS)
_ALL_VALUES = attrgetter(*USER_COLUMNS)


class UserRow:
    """One row of `users`: the hashed id, locale, zone and the journey's running totals."""

    __slots__ = USER_COLUMNS

    id: int
    user_hash: str
    locale: str
    time_zone: str | None
    zone_checked_on: date | None
    stage: str
    started_on: date | None
    last_contact_on: date | None
    best_run: int
    slip_days: int
    milestones: int
    unsafe: bool
    log_days: int
    last_log_on: date | None
    log_run: int
    tip_day: date | None
    tip_stage: str | None
    tip_index: int | None
    tips_seen: str
    slip_prev_stage: str | None
    slip_prev_contact_on: date | None
    reminder_offered: bool
    reminder_token: str | None
    reminder_time: str | None
    revision: int

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(USER_COLUMNS, values, strict=True):
            object.__setattr__(self, name, value)

    def values(self) -> tuple[Any, ...]:
        """The row's values in USER_COLUMNS order."""
        return _ALL_VALUES(self)

    def __repr__(self) -> str:
        return f"UserRow(id={self.id!r}, stage={self.stage!r})"


#: The journey's fields stored as they are, in the user's columns of the same name (the rest
#: are converted both ways in journey_of and store_journey).
_CONVERTED = frozenset({"stage", "milestones_celebrated", "slip_prev_stage", "tips_seen"})
_JOURNEY_FIELDS = tuple(
    f.name for f in fields(Journey) if f.name not in _CONVERTED and f.name in USER_COLUMNS
)


def journey_of(user: UserRow) -> Journey:
    """The domain view of a user row."""
    journey = Journey(
        stage=Stage(user.stage),
        milestones_celebrated=user.milestones,
        slip_prev_stage=Stage(user.slip_prev_stage) if user.slip_prev_stage else None,
        tips_seen=_tips_seen(user.tips_seen),
    )
    for name in _JOURNEY_FIELDS:
        setattr(journey, name, getattr(user, name))
    return journey


def store_journey(user: UserRow, journey: Journey) -> None:
    """Copy the journey back onto its row (the commit writes only what changed)."""
    user.stage = str(journey.stage)
    user.milestones = journey.milestones_celebrated
    user.slip_prev_stage = str(journey.slip_prev_stage) if journey.slip_prev_stage else None
    user.tips_seen = json.dumps(journey.tips_seen, sort_keys=True, separators=(",", ":"))
    for name in _JOURNEY_FIELDS:
        setattr(user, name, getattr(journey, name))


def _tips_seen(text: str | None) -> dict[str, int]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}


_CONTACTS = {c.value: c for c in Contact}
_ACTIVITIES = {a.value: a for a in Activity}
#: The oldest date a bound can be: "every log, however old".
_EPOCH = date(1, 1, 1)


def _day(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


#: Day rows parsed lately (a few MB at most). A day row is the same text in every request
#: that reads it, and most requests read the same last two weeks the previous one did.
DAY_CACHE_SIZE = 16384


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _entry(item: str) -> DayEntry:
    """One packed day row, "day|contact|activity|confidence", as an (immutable) entry."""
    day, contact, activity, confidence = item.split("|")
    return DayEntry(  # positionally: a named tuple's keywords cost a third more
        date.fromisoformat(day),
        _CONTACTS[contact],
        _ACTIVITIES[activity] if activity else None,
        int(confidence) if confidence else None,
    )


def _unpack(packed: str | None) -> list[DayEntry]:
    """Day rows packed as "day|contact|activity|confidence;...", oldest first."""
    if not packed:
        return []
    return [_entry(item) for item in sorted(packed.split(";"))]  # items start with the date


def _user(row: tuple[Any, ...]) -> UserRow:
    values = list(row[:_WIDTH])
    for i in _DATE_AT:
        values[i] = _day(values[i])
    for i in _BOOL_AT:
        values[i] = bool(values[i])
    return UserRow(tuple(values))


_COLUMNS = ", ".join(USER_COLUMNS)


class _Sql:
    """The repository's statements in one dialect, built once per process."""

    def __init__(self, dialect: Dialect) -> None:
        pg = dialect == "postgresql"
        lock = " FOR UPDATE" if pg else ""
        least = "LEAST" if pg else "MIN"

        def sql(text: str) -> str:
            return for_dialect(" ".join(text.split()), dialect)

        self.user = sql(f"SELECT {_COLUMNS} FROM users WHERE user_hash = :user_hash")
        self.user_locked = self.user + lock
        # The user and, in the same statement, the day rows a reply needs, packed into one
        # text column ("day|contact|activity|confidence;..."): a row per day carrying the
        # user's columns again would cost more to read than the days themselves.
        if pg:
            packed = (
                "string_agg(to_char(x.day, 'YYYY-MM-DD') || '|' || x.contact || '|' || "
                "COALESCE(x.activity, '') || '|' || COALESCE(x.confidence::text, ''), ';')"
            )
        else:
            packed = (
                "group_concat(x.day || '|' || x.contact || '|' || COALESCE(x.activity, '') "
                "|| '|' || COALESCE(x.confidence, ''), ';')"
            )

        def with_days(where: str) -> str:
            return (
                f"SELECT {_COLUMNS}, (SELECT {packed} FROM day_logs x "
                f"WHERE x.user_id = users.id AND {where}) "
                "FROM users WHERE user_hash = :user_hash"
            )

        # What a screen shows: every day from `since` on and the newest `logs` day logs.
        # The bound is the older of `since` and the newest logs' oldest day, so the read is
        # an index range, never the whole past.
        screen = with_days(
            f"""x.day >= {least}(:since, COALESCE((
                   SELECT y.day FROM day_logs y
                   WHERE y.user_id = users.id AND y.confidence IS NOT NULL
                   ORDER BY y.day DESC LIMIT 1 OFFSET :older), :epoch))
                AND (x.day >= :since OR x.confidence IS NOT NULL)"""
        )
        self.screen = sql(screen)
        self.screen_locked = sql(screen) + lock
        # Every day from `since` on (what the readiness rules and the weekly summary judge).
        days = with_days("x.day >= :since")
        self.days = sql(days)
        self.days_locked = sql(days) + lock
        # One statement creates the user, or returns (and on PostgreSQL locks) the row a
        # concurrent request has just created.
        self.add_user = sql(
            f"""
            INSERT INTO users (user_hash, locale, stage, time_zone, zone_checked_on, best_run,
                slip_days, milestones, unsafe, log_days, log_run, tips_seen, reminder_offered,
                revision)
            VALUES (:user_hash, :locale, :stage, :time_zone, :zone_checked_on, 0, 0, 0,
                :false, 0, 0, '{{}}', :false, :revision)
            ON CONFLICT (user_hash) DO UPDATE SET user_hash = excluded.user_hash
            RETURNING {_COLUMNS}
            """
        )
        # Day writes go after the user's guarded UPDATE in the commit's batch, and happen only
        # if that UPDATE did, i.e. if the row still had the revision it was read with (it now
        # has `revision`).
        guard = "WHERE EXISTS (SELECT 1 FROM users WHERE id = :user_id AND revision = :revision)"

        def typed(name: str, sql_type: str) -> str:
            # PostgreSQL needs the types a VALUES list would have given; SQLite must not get
            # them (CAST(... AS DATE) there would turn '2026-05-04' into the number 2026).
            return f"CAST(:{name} AS {sql_type})" if pg else f":{name}"

        day, contact = typed("day", "DATE"), typed("contact", "VARCHAR(12)")
        self.put_day = sql(
            f"""
            INSERT INTO day_logs (user_id, day, contact, activity, confidence)
            SELECT :user_id, {day}, {contact}, {typed("activity", "VARCHAR(12)")},
                {typed("confidence", "SMALLINT")} {guard}
            ON CONFLICT (user_id, day) DO UPDATE SET contact = excluded.contact,
                activity = excluded.activity, confidence = excluded.confidence
            """
        )
        self.mark_contact = sql(
            f"""
            INSERT INTO day_logs (user_id, day, contact)
            SELECT :user_id, {day}, {contact} {guard}
            ON CONFLICT (user_id, day) DO UPDATE SET contact = excluded.contact
            """
        )
        self.user_id = sql("SELECT id FROM users WHERE user_hash = :user_hash")
        self.delete_days = sql("DELETE FROM day_logs WHERE user_id = :user_id")
        self.delete_user = sql("DELETE FROM users WHERE id = :user_id")
        self._dialect = dialect
        self._updates: dict[tuple[str, ...], str] = {}

    def update(self, columns: tuple[str, ...]) -> str:
        """UPDATE users for exactly these columns and a new revision, if the row still has
        the revision it was read with (cached: a few shapes recur)."""
        found = self._updates.get(columns)
        if found is None:
            assignments = ", ".join(f"{c} = :{c}" for c in (*columns, "revision"))
            update = f"UPDATE users SET {assignments} WHERE id = :id AND revision = :revision_was"
            if self._dialect == "postgresql":
                # One statement that fails (SQLSTATE 40001) unless it changed the row, so the
                # batch it is part of rolls back whole (migration 0005). SQLite's unit of
                # work reads the UPDATE's row count instead.
                update = (
                    f"WITH changed AS ({update} RETURNING 1) "
                    "SELECT coach_expect_one(count(*)) FROM changed"
                )
            found = for_dialect(update, self._dialect)
            self._updates[columns] = found
        return found


_STATEMENTS: dict[str, _Sql] = {}


def statements_for(dialect: Dialect) -> _Sql:
    """The statements of one dialect."""
    found = _STATEMENTS.get(dialect)
    if found is None:
        found = _STATEMENTS[dialect] = _Sql(dialect)
    return found


def new_revision(old: int | None = None) -> int:
    """A random revision stamp (63 bits: two writers never pick the same one)."""
    while True:
        found = random.getrandbits(63)
        if found not in (0, old):
            return found


class Repository:
    """Users and day entries inside one unit of work, which runs the statements: reads
    at once, writes when the unit of work chooses (at once, or all together at commit).

    Every write of a user row gives it a new revision, and happens only if the row still
    has the revision it was read with; the user's day writes happen only if that update did
    (the unit of work sends them after it)."""

    def __init__(self, runner: Runner, dialect: Dialect) -> None:
        self._db = runner
        self._sql = statements_for(dialect)
        self._loaded: dict[int, tuple[UserRow, tuple[Any, ...]]] = {}
        #: Users with day writes waiting on their guarded update, and the revision it sets.
        self._stamps: dict[int, int] = {}

    def _stamp(self, user: UserRow) -> int:
        found = self._stamps.get(user.id)
        if found is None:
            found = self._stamps[user.id] = new_revision(user.revision)
        return found

    def _keep(self, user: UserRow) -> UserRow:
        self._loaded[user.id] = (user, user.values())
        return user

    def get_user(self, user_hash: str, *, lock: bool = False) -> UserRow | None:
        """The user row for this hashed id, if there is one.

        With `lock`, when the unit of work reads in a transaction, the row stays locked until
        it ends, so two commands for one user queue instead of writing back stale totals
        (PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes writers).
        """
        query = self._sql.user_locked if lock and self._db.locking else self._sql.user
        row = self._db.read(query, {"user_hash": user_hash}).fetchone()
        return None if row is None else self._keep(_user(row))

    def get_user_with_screen(
        self, user_hash: str, since: date, logs: int, *, lock: bool = False
    ) -> tuple[UserRow | None, list[DayEntry]]:
        """The user row and, in the same statement, every entry from `since` on plus the
        newest `logs` day logs however old (oldest first; callers narrow to their today).
        With `logs` 0, only the entries from `since` on."""
        params: dict[str, Any] = {"user_hash": user_hash, "since": since}
        lock = lock and self._db.locking
        if logs:
            query = self._sql.screen_locked if lock else self._sql.screen
            params.update(older=logs - 1, epoch=_EPOCH)
        else:
            query = self._sql.days_locked if lock else self._sql.days
        row = self._db.read(query, params).fetchone()
        if row is None:
            return None, []
        return self._keep(_user(row)), _unpack(row[_WIDTH])

    def add_user(
        self, user_hash: str, locale: str, zone: str | None = None, checked_on: date | None = None
    ) -> UserRow:
        """Create the user (or find the one a concurrent request just created)."""
        row = self._db.create(
            self._sql.add_user,
            {
                "user_hash": user_hash,
                "locale": locale,
                "stage": str(Stage.REFLECT),
                "time_zone": zone,
                "zone_checked_on": checked_on,
                "false": False,
                "revision": new_revision(),
            },
        ).fetchone()
        return self._keep(_user(row))

    def put_day(self, user: UserRow, entry: DayEntry) -> None:
        """Insert or replace the entry for that day: one row per user per local day."""
        params = {
            "user_id": user.id,
            "day": entry.day,
            "contact": str(entry.contact),
            "activity": str(entry.activity) if entry.activity else None,
            "confidence": entry.confidence,
        }
        params["revision"] = self._stamp(user)
        self._db.write(self._sql.put_day, params)

    def mark_contact(self, user: UserRow, day: date, contact: Contact) -> None:
        """Set one day's contact, keeping its activity and confidence."""
        params = {"user_id": user.id, "day": day, "contact": str(contact)}
        params["revision"] = self._stamp(user)
        self._db.write(self._sql.mark_contact, params)

    def delete_user(self, user_hash: str) -> bool:
        """Delete the user and every row they own; True when there was something to delete."""
        row = self._db.read(self._sql.user_id, {"user_hash": user_hash}).fetchone()
        if row is None:
            return False
        self._db.write(self._sql.delete_days, {"user_id": row[0]})
        self._db.write(self._sql.delete_user, {"user_id": row[0]})
        self._loaded = {k: v for k, v in self._loaded.items() if k != row[0]}
        return True

    def flush(self) -> None:
        """Write the columns of loaded users that changed, with a new revision, if the row
        still has the revision it was read with (nothing when nothing changed)."""
        for user, before in self._loaded.values():
            now = user.values()
            changed = tuple(
                c
                for c, a, b in zip(USER_COLUMNS, before, now, strict=True)
                if a != b and c != "revision"
            )
            if not changed and user.id not in self._stamps:
                continue
            revision = self._stamps.get(user.id) or new_revision(user.revision)
            params = {c: getattr(user, c) for c in changed}
            params.update(id=user.id, revision=revision, revision_was=user.revision)
            self._db.write(self._sql.update(changed), params, guard=True)
            user.revision = revision
        self._stamps = {}

    def forget(self) -> None:
        """Drop what was loaded (the transaction it came from has ended)."""
        self._loaded = {}
        self._stamps = {}
