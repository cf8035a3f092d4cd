"""A bounded soak of the gunicorn app on loopback: many users, a mixed request stream.

Zero errors (every answer HTTP 200, none an apology, no error in the server's log, no worker
restarted), the workers' memory flat (the stated bound below), and afterwards every day a
user logged is in the database with the confidence they gave last.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from skill.db.models import DayLog, User
from skill.i18n import supported_locales
from tests.alexa import Alexa
from tests.reliability.helpers import consistency_problems, inspector, is_apology
from tests.skill.helpers import PEPPER, user_hash
from tests.web.test_web_gunicorn import REPO, free_port, running

WORKERS = 2
CLIENT_THREADS = 6
#: The bound on memory growth: a worker's highest RSS in the last third of the soak may be at
#: most this much above its highest in the first third (caches fill early; a leak keeps going).
RSS_GROWTH_LIMIT_KIB = 8 * 1024
SAMPLE_EVERY_REQUESTS = 25
ACTIVITIES = ("FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE")
CONTACTS = ("NONE", "NONE", "NONE", "NECESSARY", "SOME")


def worker_pids(master: int) -> set[int]:
    """The gunicorn workers: the processes whose parent is the master."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master:
            found.add(int(entry.name))
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


@dataclass
class Soak:
    """Shared between the client threads: what was logged, what went wrong, memory."""

    base: str
    master: int
    logged: dict[str, dict[date, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    samples: list[tuple[float, dict[int, int]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sample(self) -> None:
        pids = worker_pids(self.master)
        memory = {pid: rss_kib(pid) for pid in pids}
        with self.lock:
            self.samples.append((time.monotonic(), memory))


class Client:
    """One client thread's users, each an Alexa device talking HTTP to the server."""

    def __init__(self, soak: Soak, users: list[str], seed: int) -> None:
        self.soak = soak
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.http.trust_env = False  # loopback, never through a proxy
        locales = supported_locales()
        self.devices = [
            Alexa(self.post, user_id=user, locale=self.random.choice(locales)) for user in users
        ]
        self.onboarded: set[str] = set()

    def post(self, event: dict[str, Any], _context: Any) -> dict[str, Any]:
        try:
            answer = self.http.post(self.soak.base + "/", json=event, timeout=10)
        except requests.RequestException as exc:
            self._error(f"{type(exc).__name__} for {event['request']['type']}")
            return {}
        if answer.status_code != 200:
            self._error(f"HTTP {answer.status_code}")
            return {}
        envelope: dict[str, Any] = answer.json()
        if is_apology(envelope):
            self._error(f"apology for {event['request'].get('intent', {}).get('name')}")
        with self.soak.lock:
            self.soak.requests += 1
            due = self.soak.requests % SAMPLE_EVERY_REQUESTS == 0
        if due:
            self.soak.sample()
        return envelope

    def _error(self, what: str) -> None:
        with self.soak.lock:
            self.soak.errors.append(what)

    def step(self, alexa: Alexa) -> None:
        """One thing a user does, chosen the way real use mixes them."""
        if alexa.user_id not in self.onboarded:
            alexa.onboard()
            self.onboarded.add(alexa.user_id)
            return
        roll = self.random.random()
        if roll < 0.45:
            confidence = self.random.randint(1, 10)
            contact, activity = self.random.choice(CONTACTS), self.random.choice(ACTIVITIES)
            alexa.intent(
                "LogDayIntent",
                contact=contact.lower(),
                activity=activity.lower(),
                confidence=str(confidence),
                resolutions={
                    "contact": (contact, "CONTACT_STATUS"),
                    "activity": (activity, "ACTIVITY"),
                },
            )
            if alexa.attributes.get("pending") == "replace_slip":
                alexa.say_yes()  # "Shall I change today to no contact?" the user means it
            with self.soak.lock:
                self.soak.logged.setdefault(alexa.user_id, {})[alexa.now.date()] = confidence
        elif roll < 0.85:
            alexa.intent(
                self.random.choice(
                    [
                        "StreakIntent",
                        "DailyTipIntent",
                        "ProgressIntent",
                        "AmIReadyIntent",
                        "AMAZON.HelpIntent",
                        "SlipIntent",
                        "AMAZON.FallbackIntent",
                    ]
                )
            )
        elif roll < 0.9:
            alexa.launch()
        else:
            alexa.next_day()
        alexa.end_session()

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.step(self.random.choice(self.devices))
        self.http.close()

    def warm_up(self) -> None:
        """Every user onboarded, and a few taken through the mix, before memory counts."""
        for alexa in self.devices:
            self.step(alexa)
        for alexa in self.devices[:3]:
            for _ in range(10):
                self.step(alexa)


def server_env(url: str, tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ALEXA_", "DATABASE_", "COACH_", "GUNICORN_", "USER_ID_"))
    }
    env.update(
        DATABASE_URL=url,
        COACH_DATA_DIR=str(tmp_path / "data"),
        USER_ID_PEPPER=PEPPER,
        ALEXA_VERIFY="0",
        XDG_RUNTIME_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


def soak(url: str, tmp_path: Path, seconds: float, users: int) -> tuple[Soak, str]:
    """Serve with gunicorn, drive it for `seconds`, stop it; return the soak and its log."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    script = f"from skill.web import run_server; run_server('127.0.0.1', {port}, {WORKERS})"
    names = [f"amzn1.ask.account.SOAK{n:05d}" for n in range(users)]
    with running([sys.executable, "-c", script], server_env(url, tmp_path), port, log) as base:
        (master,) = (p for p in worker_pids(os.getpid()) if f", {port}, " in _cmdline(p))
        state = Soak(base, master)
        clients = [Client(state, names[i::CLIENT_THREADS], seed=i) for i in range(CLIENT_THREADS)]
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            list(pool.map(Client.warm_up, clients))
        state.sample()
        deadline = time.monotonic() + seconds
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            list(pool.map(lambda c: c.run(deadline), clients))
        state.sample()
    return state, log.read_text()


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def assert_soak_went_well(url: str, state: Soak, server_log: str, minimum: int) -> None:
    assert state.errors == []
    assert state.requests >= minimum, f"only {state.requests} requests"
    for marker in ("[ERROR]", "Traceback", "WORKER TIMEOUT", "[CRITICAL]"):
        assert marker not in server_log, marker
    pids = {frozenset(memory) for _, memory in state.samples}
    assert len(pids) == 1 and len(next(iter(pids))) == WORKERS, "no worker was restarted"
    third = max(1, len(state.samples) // 3)
    first, last = state.samples[:third], state.samples[-third:]
    for pid in next(iter(pids)):
        before = max(memory[pid] for _, memory in first)
        after = max(memory[pid] for _, memory in last)
        assert after - before <= RSS_GROWTH_LIMIT_KIB, (pid, before, after)
    with inspector(url) as engine, engine.connect() as conn:
        stored: dict[str, dict[date, int]] = {}
        rows = conn.execute(
            select(User.user_hash, DayLog.day, DayLog.confidence)
            .join(User, User.id == DayLog.user_id)
            .where(DayLog.confidence.is_not(None))
        )
        for hashed, day, confidence in rows:
            stored.setdefault(hashed, {})[day] = confidence
        assert consistency_problems(engine) == []
    expected = {user_hash(user): days for user, days in state.logged.items()}
    assert stored == expected


def test_a_ten_second_soak_of_gunicorn_loses_nothing_and_keeps_memory_flat(
    sqlite_url: str, tmp_path: Path
) -> None:
    state, server_log = soak(sqlite_url, tmp_path, seconds=10, users=120)

    assert_soak_went_well(sqlite_url, state, server_log, minimum=300)


@pytest.mark.slow
def test_a_two_minute_soak_of_gunicorn_loses_nothing_and_keeps_memory_flat(
    database_url: str, tmp_path: Path
) -> None:
    state, server_log = soak(database_url, tmp_path, seconds=120, users=1000)

    assert_soak_went_well(database_url, state, server_log, minimum=3000)
