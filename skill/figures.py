"""What the use cases return: the figures a reply speaks of, as plain values."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from skill.domain.model import DayEntry, Stage
from skill.domain.progress import WeekSummary
from skill.domain.readiness import Readiness


class History(NamedTuple):
    """What a screen shows: the last 14 days, and the last 14 logs' confidence."""

    days: tuple[DayEntry, ...]
    logs: tuple[DayEntry, ...]


class Status(NamedTuple):
    """The figures most replies mention, as of today."""

    is_new: bool
    stage: Stage
    today: date
    started: bool  # the reflect questions are answered and the journey's clock runs
    no_contact_days: int
    best_streak: int
    log_streak: int
    logged_today: bool
    journey_days: int
    contact_free_days: int
    next_milestone: int | None
    milestone: int | None  # reached and celebrated with this reply
    unsafe: bool
    log_days: int = 0
    has_reminder: bool = False
    reminder_offered: bool = False
    history: History | None = None
    days_since_meeting: int = 0  # the rebuild's figure, from the first meeting's outcome on
    met: bool = False


class LogResult(NamedTuple):
    """What a day log changed."""

    status: Status
    slip: bool
    updated: bool  # today already had a log, now replaced
    #: Nothing was written: today holds a slip and the log says no contact; ask first.
    replaces_slip: bool = False


class SlipResult(NamedTuple):
    """A slip, with what was achieved before it."""

    status: Status
    run_before: int  # no-contact days the slip ended
    counted: bool  # False when contact was part of the plan (meeting on)
    already_today: bool


class TipResult(NamedTuple):
    """Today's tip, as an index into the stage's pool in the caller's language."""

    status: Status
    stage: Stage
    tip: int  # the tip's index in the stage's pool


class ReadinessResult(NamedTuple):
    """The readiness verdict with the user's figures."""

    status: Status
    readiness: Readiness


class ProgressResult(NamedTuple):
    """The last week against the week before."""

    status: Status
    week: WeekSummary
    urges: int = 0  # urges ridden out in the last seven days


class UrgeResult(NamedTuple):
    """An urge to reach out, ridden out: which way through to offer (None: not counted,
    contact is no rule to break, or safety comes first)."""

    status: Status
    way: int | None


class ReminderState(NamedTuple):
    """The user's daily reminder, if any, and the zone it runs in."""

    token: str | None
    zone: str
