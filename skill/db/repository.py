"""The only place that writes SQL: users and their day entries."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
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
        query = select(User).where(User.user_hash == user_hash)
        if lock and self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return self.session.scalars(query).one_or_none()

    def add_user(self, user_hash: str, locale: str) -> User:
        """Create the user (or find the one a concurrent request just created)."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(User)
            .values(user_hash=user_hash, locale=locale, stage=str(Stage.REFLECT))
            .on_conflict_do_nothing(index_elements=["user_hash"])
        )
        self.session.execute(stmt)
        user = self.get_user(user_hash, lock=True)
        assert user is not None
        return user

    def day(self, user: User, day: date) -> DayEntry | None:
        """The entry for one local day."""
        row = self.session.scalars(
            select(DayLog).where(DayLog.user_id == user.id, DayLog.day == day)
        ).one_or_none()
        return entry_of(row) if row else None

    def entries_since(self, user: User, first_day: date) -> list[DayEntry]:
        """Entries from `first_day` on, oldest first (an index range scan, bounded in size)."""
        rows = self.session.scalars(
            select(DayLog)
            .where(DayLog.user_id == user.id, DayLog.day >= first_day)
            .order_by(DayLog.day)
        )
        return [entry_of(r) for r in rows]

    def screen_history(
        self, user: User, first_day: date, logs: int
    ) -> tuple[list[DayEntry], list[DayEntry]]:
        """In one bounded query: every entry from `first_day` on, and the newest `logs` day
        logs (however old), each oldest first.

        Days from `first_day` on number at most `logs` rows, and every older row the query
        returns is a log, so the newest 2 × `logs` rows hold both answers.
        """
        rows = list(
            self.session.scalars(
                select(DayLog)
                .where(
                    DayLog.user_id == user.id,
                    or_(DayLog.day >= first_day, DayLog.confidence.is_not(None)),
                )
                .order_by(DayLog.day.desc())
                .limit(2 * logs)
            )
        )
        entries = [entry_of(r) for r in reversed(rows)]
        recent = [e for e in entries if e.day >= first_day]
        newest_logs = [e for e in entries if e.is_log][-logs:]
        return recent, newest_logs

    def put_day(self, user: User, entry: DayEntry) -> None:
        """Insert or replace the entry for that day: one row per user per local day."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {
            "contact": str(entry.contact),
            "activity": str(entry.activity) if entry.activity else None,
            "confidence": entry.confidence,
        }
        stmt = insert(DayLog).values(user_id=user.id, day=entry.day, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["user_id", "day"], set_=values)
        self.session.execute(stmt)

    def delete_user(self, user_hash: str) -> bool:
        """Delete the user and every row they own; True when there was something to delete."""
        user_id = self.session.scalar(select(User.id).where(User.user_hash == user_hash))
        if user_id is None:
            return False
        self.session.execute(delete(DayLog).where(DayLog.user_id == user_id))
        self.session.execute(delete(User).where(User.id == user_id))
        return True
