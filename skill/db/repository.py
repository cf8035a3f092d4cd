"""The only place that writes SQL: users and their day entries."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Row, bindparam, delete, or_, select
from sqlalchemy.orm import Session

from skill.db.models import DayLog, User
from skill.domain.model import Activity, Contact, DayEntry, Journey, Stage

_JOURNEY_FIELDS = (
    "started_on",
    "last_contact_on",
    "best_run",
    "slip_days",
    "unsafe",
    "log_days",
    "last_log_on",
    "log_run",
    "tip_day",
    "tip_stage",
    "tip_index",
    "slip_prev_contact_on",
    "reminder_offered",
)


def journey_of(user: User) -> Journey:
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


def store_journey(user: User, journey: Journey) -> None:
    """Copy the journey back onto its row; unchanged columns cause no UPDATE."""
    _set(user, "stage", str(journey.stage))
    _set(user, "milestones", journey.milestones_celebrated)
    _set(user, "slip_prev_stage", str(journey.slip_prev_stage) if journey.slip_prev_stage else None)
    _set(user, "tips_seen", json.dumps(journey.tips_seen, sort_keys=True, separators=(",", ":")))
    for name in _JOURNEY_FIELDS:
        _set(user, name, getattr(journey, name))


def _tips_seen(text: str | None) -> dict[str, int]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}


def _set(row: object, name: str, value: object) -> None:
    if getattr(row, name) != value:
        setattr(row, name, value)


def entry_of(row: DayLog) -> DayEntry:
    """The domain view of a day row."""
    return DayEntry(
        day=row.day,
        contact=Contact(row.contact),
        activity=Activity(row.activity) if row.activity else None,
        confidence=row.confidence,
    )


_CONTACTS = {c.value: c for c in Contact}
_ACTIVITIES = {a.value: a for a in Activity}

# Built once: constructing a statement and its cache key costs more than running it.
_USER_BY_HASH = select(User).where(User.user_hash == bindparam("user_hash"))
_USER_BY_HASH_FOR_UPDATE = _USER_BY_HASH.with_for_update()
_DAY_COLUMNS = (DayLog.day, DayLog.contact, DayLog.activity, DayLog.confidence)
_SINCE = (
    select(*_DAY_COLUMNS)
    .where(DayLog.user_id == bindparam("user_id"), DayLog.day >= bindparam("first_day"))
    .order_by(DayLog.day)
)
_SCREEN = (
    select(*_DAY_COLUMNS)
    .where(
        DayLog.user_id == bindparam("user_id"),
        or_(DayLog.day >= bindparam("first_day"), DayLog.confidence.is_not(None)),
    )
    .order_by(DayLog.day.desc())
    .limit(bindparam("limit"))
)


def _insert(dialect: str) -> Any:
    """The dialect's INSERT with ON CONFLICT (only the dialect in use is imported)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


@cache
def _upsert_day(dialect: str) -> Any:
    stmt = _insert(dialect)(DayLog)
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "day"],
        set_={
            "contact": stmt.excluded.contact,
            "activity": stmt.excluded.activity,
            "confidence": stmt.excluded.confidence,
        },
    )


def _entry(row: Row[date, str, str | None, int | None]) -> DayEntry:
    day, contact, activity, confidence = row
    return DayEntry(
        day=day,
        contact=_CONTACTS[contact],
        activity=_ACTIVITIES[activity] if activity else None,
        confidence=confidence,
    )


class Repository:
    """Users and day entries inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_user(self, user_hash: str, *, lock: bool = False) -> User | None:
        """The user row for this hashed id, if there is one.

        With `lock`, the row stays locked until the transaction ends, so two requests for
        one user queue instead of writing back stale totals (PostgreSQL; SQLite's
        BEGIN IMMEDIATE already serializes writers).
        """
        postgres = lock and self.session.get_bind().dialect.name == "postgresql"
        query = _USER_BY_HASH_FOR_UPDATE if postgres else _USER_BY_HASH
        return self.session.scalars(query, {"user_hash": user_hash}).one_or_none()

    def add_user(
        self, user_hash: str, locale: str, zone: str | None = None, checked_on: date | None = None
    ) -> User:
        """Create the user (or find the one a concurrent request just created)."""
        dialect = self.session.get_bind().dialect.name
        stmt = (
            _insert(dialect)(User)
            .values(
                user_hash=user_hash,
                locale=locale,
                stage=str(Stage.REFLECT),
                time_zone=zone,
                zone_checked_on=checked_on,
            )
            .on_conflict_do_nothing(index_elements=["user_hash"])
        )
        self.session.execute(stmt)
        user = self.get_user(user_hash, lock=True)
        assert user is not None
        return user

    def entries_since(self, user: User, first_day: date) -> list[DayEntry]:
        """Entries from `first_day` on, oldest first (an index range scan, bounded in size)."""
        rows = self.session.execute(_SINCE, {"user_id": user.id, "first_day": first_day})
        return [_entry(r) for r in rows]

    def screen_history(
        self, user: User, first_day: date, logs: int
    ) -> tuple[list[DayEntry], list[DayEntry]]:
        """In one bounded query: every entry from `first_day` on, and the newest `logs` day
        logs (however old), each oldest first.

        Days from `first_day` on number at most `logs` rows, and every older row the query
        returns is a log, so the newest 2 × `logs` rows hold both answers.
        """
        params = {"user_id": user.id, "first_day": first_day, "limit": 2 * logs}
        rows = list(self.session.execute(_SCREEN, params))
        entries = [_entry(r) for r in reversed(rows)]
        recent = [e for e in entries if e.day >= first_day]
        newest_logs = [e for e in entries if e.is_log][-logs:]
        return recent, newest_logs

    def put_day(self, user: User, entry: DayEntry) -> None:
        """Insert or replace the entry for that day: one row per user per local day."""
        dialect = self.session.get_bind().dialect.name
        self.session.execute(
            _upsert_day(dialect),
            {
                "user_id": user.id,
                "day": entry.day,
                "contact": str(entry.contact),
                "activity": str(entry.activity) if entry.activity else None,
                "confidence": entry.confidence,
            },
        )

    def mark_contact(self, user: User, day: date, contact: Contact) -> None:
        """Set one day's contact, keeping its activity and confidence."""
        dialect = self.session.get_bind().dialect.name
        stmt = _insert(dialect)(DayLog).values(user_id=user.id, day=day, contact=str(contact))
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "day"], set_={"contact": str(contact)}
        )
        self.session.execute(stmt)

    def delete_user(self, user_hash: str) -> bool:
        """Delete the user and every row they own; True when there was something to delete."""
        user_id = self.session.scalar(select(User.id).where(User.user_hash == user_hash))
        if user_id is None:
            return False
        self.session.execute(delete(DayLog).where(DayLog.user_id == user_id))
        self.session.execute(delete(User).where(User.id == user_id))
        return True
