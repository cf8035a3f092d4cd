"""Helpers for the whole-skill tests: the database as a user's data, journeys, fixtures."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest

from skill.services import hash_user_id
from tests.alexa import FIXTURES, Alexa, Turn

PEPPER = "test-pepper-not-a-secret"
REQUESTS = FIXTURES / "requests"
TIPS_FILE = Path(__file__).resolve().parents[2] / "skill" / "locales" / "tips" / "en.json"
SOUND = '<audio src="soundbank://'

#: Spoken activities that the en-US model maps to four different ids.
VARIED_ACTIVITIES = ("gym", "saw friends", "painting", "a haircut", "meditation")


def user_hash(user_id: str) -> str:
    """How the skill stores a user id."""
    return hash_user_id(user_id, PEPPER)


def sounds(turn: Turn) -> int:
    """How many soundbank sounds a reply plays."""
    return turn.ssml.count(SOUND)


def tips(stage: str) -> list[str]:
    """A stage's tip pool, as the skill reads it."""
    pool: list[str] = json.loads(TIPS_FILE.read_text(encoding="utf-8"))[stage]
    return pool


def spoken_tip(turn: Turn, stage: str) -> str:
    """Which tip of the stage's pool a reply spoke (fails when it spoke none of them)."""
    found = [t for t in tips(stage) if t in turn.speech]
    assert len(found) == 1, f"expected one {stage} tip in {turn.speech!r}"
    return found[0]


def load_request(name: str) -> dict[str, Any]:
    """A recorded Alexa request from ../shared (skips the test when the file is absent)."""
    path = REQUESTS / name
    if not path.exists():
        pytest.skip(f"recorded request {path} is not available")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def set_user(event: dict[str, Any], user_id: str) -> dict[str, Any]:
    """Point a recorded request at one of our users (in memory only)."""
    system = event.setdefault("context", {}).setdefault("System", {})
    system.setdefault("user", {})["userId"] = user_id
    if "session" in event:
        event["session"].setdefault("user", {})["userId"] = user_id
    return event


class Database:
    """The SQLite file the skill writes, read the way an auditor would."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.path)) as conn:
            return list(conn.execute(sql, params).fetchall())

    def count(self, table: str) -> int:
        if not self.path.exists():
            return 0
        return int(self.rows(f"SELECT COUNT(*) FROM {table}")[0][0])

    def user(self, user_id: str) -> dict[str, Any] | None:
        with closing(sqlite3.connect(self.path)) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute(
                "SELECT * FROM users WHERE user_hash = ?", (user_hash(user_id),)
            ).fetchone()
            return dict(row) if row else None

    def stage(self, user_id: str) -> str | None:
        row = self.user(user_id)
        return None if row is None else str(row["stage"])

    def days(self, user_id: str) -> list[tuple[date, str, str | None, int | None]]:
        """(day, contact, activity, confidence) of every day row of the user, oldest first."""
        found = self.rows(
            "SELECT d.day, d.contact, d.activity, d.confidence FROM day_logs d "
            "JOIN users u ON u.id = d.user_id WHERE u.user_hash = ? ORDER BY d.day",
            user_hash(user_id),
        )
        return [(date.fromisoformat(str(d)), c, a, n) for d, c, a, n in found]

    def file_bytes(self) -> bytes:
        """The database file and its WAL and shared-memory files, as stored on disk."""
        data = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                data += part.read_bytes()
        return data


def log_every_day(
    alexa: Alexa, days: int, *, confidence: int = 8, contact: str = "no contact"
) -> list[Turn]:
    """Log `days` days in a row, starting today, with varied activities; returns each reply."""
    turns = []
    activities = cycle(VARIED_ACTIVITIES)
    for i in range(days):
        if i:
            alexa.next_day()
        turns.append(alexa.log_day(contact, next(activities), confidence))
    return turns


def journey_to_day_30(alexa: Alexa) -> list[Turn]:
    """Onboard today, then log days 0 to 30 without contact; returns the 31 log replies."""
    alexa.onboard()
    return log_every_day(alexa, 31)


def reach_ready_stage(alexa: Alexa) -> None:
    """Thirty days of the plan, the readiness check, and yes to still wanting them back."""
    journey_to_day_30(alexa)
    turn = alexa.intent("AmIReadyIntent")
    assert "Do you still want to get back together?" in turn.speech
    alexa.say_yes()
    alexa.end_session()


def says_list(speech: str, intro: str, *items: str) -> bool:
    """Whether speech says 'intro a, b and c.' (with or without the serial comma)."""
    if len(items) == 1:
        return f"{intro} {items[0]}." in speech
    body = ", ".join(items[:-1])
    return any(f"{intro} {body}{comma} and {items[-1]}." in speech for comma in ("", ","))
