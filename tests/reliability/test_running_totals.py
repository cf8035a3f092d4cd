"""The running totals on a user's row always say what the day rows say, whatever order the
days arrive in: a device moving from Tokyo to Los Angeles logs a day earlier than the last
one, a request from before midnight arrives late, a day is logged again. And a day that was
already logged is answered "updated", never "logged" a second time."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import hypothesis
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from skill.app import build_skill
from skill.config import Settings
from skill.db.models import DayLog, Urge, User
from tests.alexa import Alexa, Turn
from tests.reliability.conftest import SLOW_ENV
from tests.reliability.helpers import inspector, intent_event, is_apology
from tests.skill.helpers import PEPPER, user_hash

ZONES = (
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "Asia/Kolkata",
    "UTC",
)
SAVED = "today is logged"
UPDATED = "updated today's log"
EXAMPLES = 400 if os.environ.get(SLOW_ENV) == "1" else 30


class Step(NamedTuple):
    hours: int  # the clock moves by this much first: backwards too (a late request)
    zone: str  # where the device is now (the Settings API says so, once a UTC day)
    action: str
    confidence: int
    screen: bool  # an APL device: the log reads the two weeks' history


steps = st.builds(
    Step,
    hours=st.integers(min_value=-20, max_value=40),
    zone=st.sampled_from(ZONES),
    action=st.sampled_from(["log", "log", "log", "slip", "urge", "necessary"]),
    confidence=st.integers(min_value=1, max_value=10),
    screen=st.booleans(),
)


class Totals(NamedTuple):
    log_days: int
    last_log_on: date | None
    log_run: int
    urges_total: int


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def stored(engine: Engine, user: str) -> tuple[Totals, Totals]:
    """The user's running totals, and the same figures counted again from the day rows."""
    with engine.connect() as conn:
        row = conn.execute(select(User).where(User.user_hash == user_hash(user))).one()
        logged = sorted(
            as_date(day)
            for day in conn.execute(
                select(DayLog.day).where(DayLog.user_id == row.id, DayLog.confidence.is_not(None))
            ).scalars()
        )
        urges = sum(conn.execute(select(Urge.count).where(Urge.user_id == row.id)).scalars().all())
    run = 0
    while logged and logged[-1] - timedelta(days=run) in logged:
        run += 1
    recount = Totals(len(logged), logged[-1] if logged else None, run, urges)
    last = as_date(row.last_log_on) if row.last_log_on is not None else None
    return Totals(row.log_days, last, row.log_run, row.urges_total), recount


def logged_days(engine: Engine, user: str) -> set[Any]:
    with engine.connect() as conn:
        found = conn.execute(
            select(DayLog.day)
            .join(User, User.id == DayLog.user_id)
            .where(User.user_hash == user_hash(user), DayLog.confidence.is_not(None))
        )
        return set(found.scalars())


def send(alexa: Alexa, step: Step) -> Turn:
    alexa.apl = step.screen
    if step.action == "log":
        contact = "NONE" if step.confidence > 3 else "SOME"
        event = intent_event(
            alexa,
            "LogDayIntent",
            contact=(contact, "CONTACT_STATUS"),
            activity=("HOBBY", "ACTIVITY"),
            confidence=str(step.confidence),
        )
        return Turn(alexa.handler(event, None))
    if step.action == "necessary":
        event = intent_event(
            alexa,
            "LogDayIntent",
            contact=("NECESSARY", "CONTACT_STATUS"),
            activity=("FRIENDS", "ACTIVITY"),
            confidence=str(step.confidence),
        )
        return Turn(alexa.handler(event, None))
    name = {"slip": "SlipIntent", "urge": "UrgeIntent"}[step.action]
    return Turn(alexa.handler(intent_event(alexa, name), None))


def test_running_totals_equal_a_recount_of_the_day_rows_whatever_the_order_of_the_days(
    database_url: str, tmp_path: Path
) -> None:
    zone_of: dict[str, str] = {}

    def zone_lookup(raw: Mapping[str, Any]) -> str | None:
        return zone_of.get(raw["context"]["System"]["user"]["userId"])

    skill = build_skill(
        Settings(database_url=database_url, data_dir=tmp_path, user_id_pepper=PEPPER),
        zone_lookup=zone_lookup,
    )

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @given(first_zone=st.sampled_from(ZONES), journey=st.lists(steps, min_size=1, max_size=12))
    def check(first_zone: str, journey: list[Step]) -> None:
        user = f"amzn1.ask.account.TOTALS-{uuid.uuid4().hex}"
        zone_of[user] = first_zone
        alexa = Alexa(
            lambda event, _context: skill.invoke(event),
            user_id=user,
            now=datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        )
        alexa.onboard()
        with inspector(database_url) as engine:
            for step in journey:
                alexa.now += timedelta(hours=step.hours)
                zone_of[user] = step.zone
                before = logged_days(engine, user)
                turn = send(alexa, step)
                after = logged_days(engine, user)

                assert not is_apology(turn.envelope), turn.speech
                if SAVED in turn.speech or UPDATED in turn.speech:
                    already = after == before
                    late = not already and max(after) not in after - before
                    hypothesis.event("re-log" if already else "late day" if late else "new day")
                    assert (UPDATED in turn.speech) == already, (turn.speech, before, after)
                totals, recount = stored(engine, user)
                assert totals == recount

    try:
        check()
    finally:
        skill.close()


def test_a_device_moving_from_tokyo_to_los_angeles_relogs_its_days_as_updates(
    database_url: str, tmp_path: Path
) -> None:
    zone = {"now": "Asia/Tokyo"}
    skill = build_skill(
        Settings(database_url=database_url, data_dir=tmp_path, user_id_pepper=PEPPER),
        zone_lookup=lambda _raw: zone["now"],
    )
    user = "amzn1.ask.account.TOKYO-TO-LA"
    # 16:00 UTC is 01:00 the next day in Tokyo, 08:00 the same day in Los Angeles.
    alexa = Alexa(
        lambda event, _c: skill.invoke(event),
        user_id=user,
        now=datetime(2026, 1, 4, 16, tzinfo=UTC),
    )
    try:
        alexa.onboard()
        alexa.log_day(confidence=5)  # the 5th, in Tokyo
        alexa.next_day()
        tokyo = alexa.log_day(confidence=6)  # the 6th, in Tokyo
        alexa.next_day()  # the 7th in Tokyo, but the flight lands in Los Angeles: the 6th
        zone["now"] = "America/Los_Angeles"
        landed = alexa.log_day(confidence=7)
        again = alexa.log_day(confidence=8)
        with inspector(database_url) as engine:
            totals, recount = stored(engine, user)
    finally:
        skill.close()

    assert SAVED in tokyo.speech
    assert UPDATED in landed.speech, landed.speech
    assert UPDATED in again.speech, again.speech
    assert totals == recount == Totals(2, date(2026, 1, 6), 2, 0)
    assert "You've logged 2 days in a row." in again.speech


def test_a_late_day_that_closes_a_gap_joins_the_two_runs(database_url: str, tmp_path: Path) -> None:
    skill = build_skill(
        Settings(database_url=database_url, data_dir=tmp_path, user_id_pepper=PEPPER)
    )
    user = "amzn1.ask.account.LATE-DAY"
    alexa = Alexa(lambda event, _c: skill.invoke(event), user_id=user)
    try:
        alexa.onboard()
        for day in (0, 1, 2, 4, 5):  # the 4th is missing
            alexa.now = datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)
            alexa.log_day(confidence=6)
        alexa.now = datetime(2026, 1, 4, 12, tzinfo=UTC)  # a request from the 4th, late
        late = alexa.log_day(confidence=7)
        with inspector(database_url) as engine:
            totals, recount = stored(engine, user)
    finally:
        skill.close()

    assert SAVED in late.speech, late.speech
    assert totals == recount == Totals(6, date(2026, 1, 6), 6, 0)
