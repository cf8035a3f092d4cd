"""The only place that writes SQL: users (as `Account`s) and their days (as `DayEntry`s).

Plain statements, one per string, with :name parameters. Writes wait for the commit, which
calls `flush`: the user's UPDATE first, guarded by the revision the row was read with
(`Conflict` when another request wrote it since: nothing of ours is written), then the
user's day rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from skill.config import Dialect
from skill.db.database import Params, for_dialect
from skill.domain.model import Account, Activity, Contact, DayEntry, Journey, Stage

#: Every column of `users` the skill reads or writes, in SELECT order.
_COLUMN_NAMES = """id user_hash locale time_zone zone_checked_on stage started_on last_contact_on
    best_run slip_days milestones unsafe log_days last_log_on log_run tip_day tip_stage
    tip_index tips_seen slip_prev_stage slip_prev_contact_on reminder_offered reminder_token
    reminder_time met_on recent_tips urges_total revision"""
USER_COLUMNS = tuple(_COLUMN_NAMES.split())
_SELECT = ", ".join(USER_COLUMNS)
#: The journey's fields stored as they are, in columns of the same name.
_CONVERTED = ("stage", "slip_prev_stage", "tips_seen", "recent_tips")
_PLAIN = tuple(
    f.name for f in fields(Journey) if f.name in USER_COLUMNS and f.name not in _CONVERTED
)
_ACCOUNT = ("locale", "time_zone", "zone_checked_on", "reminder_token", "reminder_time")
_DATES = frozenset([*(name for name in USER_COLUMNS if name.endswith("_on")), "tip_day", "day"])
_BOOLS = ("unsafe", "reminder_offered")
_RUN_PAGE = 64


class Conflict(Exception):
    """Another request wrote the user since it was read (ours was not): run it again."""


#: Runs one statement now (the unit of work's `execute`): (sql, params, *, write) → cursor.
Execute = Callable[..., Any]


def _read(name: str, value: Any) -> Any:
    """A column's value as the domain holds it (SQLite gives ISO text and 0/1)."""
    if name in _DATES and isinstance(value, str):
        return date.fromisoformat(value)
    return bool(value) if name in _BOOLS else value


def _account(row: tuple[Any, ...]) -> tuple[Account, dict[str, Any]]:
    """The account in a `users` row, and the row's columns as `_columns` would write them."""
    raw = dict(zip(USER_COLUMNS, row, strict=True))
    journey = Journey(
        stage=Stage(raw["stage"]),
        milestones_celebrated=raw["milestones"],
        slip_prev_stage=Stage(raw["slip_prev_stage"]) if raw["slip_prev_stage"] else None,
        tips_seen=json.loads(raw["tips_seen"] or "{}"),
        recent_tips=json.loads(raw["recent_tips"] or "[]"),
    )
    for name in _PLAIN:
        setattr(journey, name, _read(name, raw[name]))
    account = Account(raw["id"], raw["revision"], raw["locale"], journey)
    for name in _ACCOUNT:
        setattr(account, name, _read(name, raw[name]))
    return account, _columns(account)


def _columns(account: Account) -> dict[str, Any]:
    """The `users` columns that hold an account (all but id, user_hash and revision)."""
    j = account.journey
    columns = {name: getattr(account, name) for name in _ACCOUNT}
    columns.update({name: getattr(j, name) for name in _PLAIN})
    columns.update(
        stage=str(j.stage),
        milestones=j.milestones_celebrated,
        slip_prev_stage=str(j.slip_prev_stage) if j.slip_prev_stage else None,
        tips_seen=json.dumps(j.tips_seen, sort_keys=True, separators=(",", ":")),
        recent_tips=json.dumps(j.recent_tips, separators=(",", ":")),
    )
    return columns


def _entry(row: tuple[Any, ...]) -> DayEntry:
    day, contact, activity, confidence = row
    return DayEntry(
        _read("day", day), Contact(contact), Activity(activity) if activity else None, confidence
    )


class Repository:
    """Users and their days inside one unit of work."""

    def __init__(self, execute: Execute, dialect: Dialect) -> None:
        self._run = execute
        self._dialect = dialect
        #: Accounts read in this transaction, with their columns as read.
        self._seen: dict[int, tuple[Account, dict[str, Any]]] = {}
        #: Day writes per account, sent after its guarded UPDATE.
        self._days: dict[int, list[tuple[str, Params]]] = {}

    def _sql(self, text: str) -> str:
        return for_dialect(" ".join(text.split()), self._dialect)

    def _keep(self, row: tuple[Any, ...]) -> Account:
        account, columns = _account(row)
        self._seen[account.id] = (account, columns)
        return account

    def get_user(self, user_hash: str, *, lock: bool = False) -> Account | None:
        """The account for this hashed id, if there is one.

        With `lock` (commands) the read opens the transaction and holds the user until it
        ends (SELECT … FOR UPDATE; SQLite's BEGIN IMMEDIATE holds the whole file), so two
        commands for one user take turns instead of writing back stale totals."""
        sql = f"SELECT {_SELECT} FROM users WHERE user_hash = :user_hash"
        if lock and self._dialect == "postgresql":
            sql += " FOR UPDATE"
        row = self._run(self._sql(sql), {"user_hash": user_hash}, write=lock).fetchone()
        return None if row is None else self._keep(row)

    def add_user(self, user_hash: str, locale: str) -> Account:
        """Create the user (or find, and lock, the one a concurrent request just created)."""
        sql = f"""
            INSERT INTO users (user_hash, locale, stage, best_run, slip_days, milestones, unsafe,
                log_days, log_run, tips_seen, reminder_offered, revision)
            VALUES (:user_hash, :locale, :stage, 0, 0, 0, :false, 0, 0, '{{}}', :false, 0)
            ON CONFLICT (user_hash) DO UPDATE SET user_hash = excluded.user_hash
            RETURNING {_SELECT}"""
        params = {"user_hash": user_hash, "locale": locale, "stage": "reflect", "false": False}
        return self._keep(self._run(self._sql(sql), params, write=True).fetchone())

    def get_days(self, account: Account, since: date, *, logs: int = 0) -> list[DayEntry]:
        """Days from `since` on and the newest `logs` day logs however old, oldest first."""
        sql = """
            SELECT day, contact, activity, confidence FROM day_logs
            WHERE user_id = :user_id AND day >= :since
            UNION
            SELECT * FROM (SELECT day, contact, activity, confidence FROM day_logs
                WHERE user_id = :user_id AND confidence IS NOT NULL
                ORDER BY day DESC LIMIT :logs) AS newest
            ORDER BY day"""
        params = {"user_id": account.id, "since": since, "logs": logs}
        return [_entry(row) for row in self._run(self._sql(sql), params).fetchall()]

    def get_day(self, account: Account, day: date) -> DayEntry | None:
        """That day's entry, if it has one."""
        sql = """
            SELECT day, contact, activity, confidence FROM day_logs
            WHERE user_id = :user_id AND day = :day"""
        row = self._run(self._sql(sql), {"user_id": account.id, "day": day}).fetchone()
        return None if row is None else _entry(row)

    def logged_run(self, account: Account, last: date) -> int:
        """How many consecutive days ending at `last` have a day log (0: `last` has none).
        Read a page at a time: only a late log that joins two runs asks."""
        sql = self._sql("""
            SELECT day FROM day_logs
            WHERE user_id = :user_id AND confidence IS NOT NULL AND day <= :last
            ORDER BY day DESC LIMIT :page""")
        run, expected = 0, last
        while True:
            params = {"user_id": account.id, "last": expected, "page": _RUN_PAGE}
            days = [_read("day", row[0]) for row in self._run(sql, params).fetchall()]
            for day in days:
                if day != expected:
                    return run
                run, expected = run + 1, expected - timedelta(days=1)
            if len(days) < _RUN_PAGE:
                return run

    def put_day(self, account: Account, entry: DayEntry) -> None:
        """Insert or replace that day's entry: one row per user per local day."""
        sql = """
            INSERT INTO day_logs (user_id, day, contact, activity, confidence)
            VALUES (:user_id, :day, :contact, :activity, :confidence)
            ON CONFLICT (user_id, day) DO UPDATE SET contact = excluded.contact,
                activity = excluded.activity, confidence = excluded.confidence"""
        activity = str(entry.activity) if entry.activity else None
        params = {"day": entry.day, "contact": str(entry.contact), "activity": activity}
        self._later(account, sql, {**params, "confidence": entry.confidence})

    def mark_contact(self, account: Account, day: date, contact: Contact) -> None:
        """Set one day's contact, keeping its activity and confidence."""
        sql = """
            INSERT INTO day_logs (user_id, day, contact) VALUES (:user_id, :day, :contact)
            ON CONFLICT (user_id, day) DO UPDATE SET contact = excluded.contact"""
        self._later(account, sql, {"day": day, "contact": str(contact)})

    def add_urge(self, account: Account, day: date) -> None:
        """Count one more urge ridden out on that day (a number, never what was said)."""
        sql = """
            INSERT INTO urges (user_id, day, count) VALUES (:user_id, :day, 1)
            ON CONFLICT (user_id, day) DO UPDATE SET count = urges.count + 1"""
        self._later(account, sql, {"day": day})

    def count_urges(self, account: Account, since: date) -> int:
        """Urges ridden out from `since` on."""
        sql = "SELECT COALESCE(SUM(count), 0) FROM urges WHERE user_id = :user_id AND day >= :since"
        row = self._run(self._sql(sql), {"user_id": account.id, "since": since}).fetchone()
        return int(row[0])

    def _later(self, account: Account, sql: str, params: Params) -> None:
        params = {"user_id": account.id, **params}
        self._days.setdefault(account.id, []).append((self._sql(sql), params))

    def delete_user(self, user_hash: str) -> bool:
        """Delete the user and (by the foreign key's cascade) every row they own; True when
        there was something to delete."""
        delete = self._sql("DELETE FROM users WHERE user_hash = :user_hash")
        return bool(self._run(delete, {"user_hash": user_hash}, write=True).rowcount)

    def flush(self) -> None:
        """Write what changed: each account's changed columns and a new revision if the row
        still has the revision it was read with (else `Conflict`), then its day rows."""
        for account, before in self._seen.values():
            now = _columns(account)
            changed = [name for name, value in now.items() if before[name] != value]
            days = self._days.get(account.id, [])
            if not changed and not days:
                continue
            assigned = ", ".join(f"{name} = :{name}" for name in (*changed, "revision"))
            sql = self._sql(f"UPDATE users SET {assigned} WHERE id = :id AND revision = :was")
            new = (account.revision + 1) % 2**63
            params = {name: now[name] for name in changed}
            params.update(revision=new, id=account.id, was=account.revision)
            if self._run(sql, params, write=True).rowcount != 1:
                raise Conflict("the user changed since it was read")
            for statement, day_params in days:
                self._run(statement, day_params, write=True)
            account.revision = new
        self.forget()

    def forget(self) -> None:
        """Drop what was read and not written (the transaction has ended)."""
        self._seen, self._days = {}, {}
