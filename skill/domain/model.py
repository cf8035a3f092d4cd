"""Stages, day entries and the journey: the state a user carries from day to day."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from skill.domain import rules


class Stage(enum.StrEnum):
    """Where a user is in the plan (PRODUCT §2); the values are stored and fixed."""

    REFLECT = "reflect"
    NO_CONTACT = "no_contact"
    CONFIDENCE = "confidence"
    READY = "ready"
    MEETING = "meeting"
    REKINDLING = "rekindling"
    MOVING_ON = "moving_on"


#: What contact means depends on the stage (PRODUCT §2). Here a slip resets the clock and
#: sends the user back to no contact.
SLIP_STAGES = frozenset({Stage.NO_CONTACT, Stage.CONFIDENCE})
#: Contact is the call the coach advised: recorded, and it resets nothing.
CALL_STAGES = frozenset({Stage.READY})
#: Contact is expected and resets nothing; the rebuild, not the no-contact clock, is spoken of.
CONTACT_EXPECTED_STAGES = frozenset({Stage.MEETING, Stage.REKINDLING})
#: Stages whose no-contact milestones are celebrated (a slip in moving on resets the clock
#: but keeps the stage).
MILESTONE_STAGES = frozenset({Stage.NO_CONTACT, Stage.CONFIDENCE, Stage.READY, Stage.MOVING_ON})


class Contact(enum.StrEnum):
    """Slot value ids of CONTACT_STATUS."""

    NONE = "NONE"
    SOME = "SOME"
    NECESSARY = "NECESSARY"


class Activity(enum.StrEnum):
    """Slot value ids of ACTIVITY."""

    FRIENDS = "FRIENDS"
    HOBBY = "HOBBY"
    NEW_LOOK = "NEW_LOOK"
    DATING = "DATING"
    EXERCISE = "EXERCISE"
    SELF_CARE = "SELF_CARE"
    NONE = "NONE"


class MeetingOutcome(enum.StrEnum):
    """Slot value ids of MEETING_OUTCOME."""

    AGAIN = "AGAIN"
    UNSURE = "UNSURE"
    NO_SPARK = "NO_SPARK"


class DayEntry(NamedTuple):
    """What is known about one local day: contact, and the day log when there is one.

    A named tuple rather than a dataclass: requests build one per day in a window, and a
    tuple is built three times faster."""

    day: date
    contact: Contact
    activity: Activity | None = None
    confidence: int | None = None

    @property
    def is_log(self) -> bool:
        """A full day log (not only a slip recorded through 'I texted my ex')."""
        return self.confidence is not None


@dataclass
class Journey:
    """One user's plan, with running totals so no request has to read the whole history."""

    stage: Stage = Stage.REFLECT
    started_on: date | None = None
    last_contact_on: date | None = None
    best_run: int = 0
    slip_days: int = 0
    milestones_celebrated: int = 0  # bit i set: rules.MILESTONES[i] celebrated
    unsafe: bool = False
    log_days: int = 0
    last_log_on: date | None = None
    log_run: int = 0
    tip_day: date | None = None
    tip_stage: str | None = None
    tip_index: int | None = None
    tips_seen: dict[str, int] = field(default_factory=dict)  # stage → bitmask of tips heard
    slip_prev_stage: Stage | None = None
    slip_prev_contact_on: date | None = None
    reminder_offered: bool = False
    met_on: date | None = None  # the day the first meeting's outcome was told
    recent_tips: list[str] = field(default_factory=list)  # "day/stage/index", last 7 days
    urges_total: int = 0  # urges ridden out in all: the next one gets the next way through

    # -- derived figures ---------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether the reflect questions have been answered and the clock runs."""
        return self.started_on is not None

    def anchor(self) -> date | None:
        """The later of the start day and the last day with contact."""
        if self.started_on is None:
            return None
        if self.last_contact_on is None:
            return self.started_on
        return max(self.started_on, self.last_contact_on)

    def no_contact_days(self, today: date) -> int:
        """Whole days since the anchor; 0 on the start day or a slip day; never negative."""
        anchor = self.anchor()
        if anchor is None:
            return 0
        return max(0, (today - anchor).days)

    def best_streak(self, today: date) -> int:
        """The longest no-contact run in this journey, the current one included."""
        return max(self.best_run, self.no_contact_days(today))

    def journey_days(self, today: date) -> int:
        """How many local days the journey has had, today included."""
        if self.started_on is None:
            return 0
        return max(1, (today - self.started_on).days + 1)

    def contact_free_days(self, today: date) -> int:
        """Days of the journey without a slip."""
        return max(0, self.journey_days(today) - self.slip_days)

    def log_streak(self, today: date) -> int:
        """Consecutive logged days ending today, or yesterday if today is not logged yet."""
        if self.last_log_on is None:
            return 0
        gap = (today - self.last_log_on).days
        return self.log_run if gap in (0, 1) else 0

    def logged_on(self, day: date) -> bool:
        """Whether `day` has a day log (only today and the last log day are tracked)."""
        return self.last_log_on == day

    def days_since_meeting(self, today: date) -> int:
        """Whole days since the first meeting's outcome was told (0 before it)."""
        return 0 if self.met_on is None else max(0, (today - self.met_on).days)

    def next_milestone(self, today: date) -> int | None:
        """The next milestone ahead of the current no-contact days, if any is left."""
        days = self.no_contact_days(today)
        return next((m for m in rules.MILESTONES if m > days), None)

    # -- transitions -------------------------------------------------------------------

    def start(self, today: date, *, stage: Stage, unsafe: bool = False) -> None:
        """Begin the journey after the reflect questions."""
        self.stage = stage
        self.started_on = today
        self.last_contact_on = None
        self.best_run = 0
        self.slip_days = 0
        self.milestones_celebrated = 0
        self.unsafe = unsafe
        self.met_on = None
        self.slip_prev_stage = None
        self.slip_prev_contact_on = None

    def restart(self) -> None:
        """Start over: back to the reflect questions, keeping the day logs themselves."""
        self.stage = Stage.REFLECT
        self.started_on = None
        self.last_contact_on = None
        self.best_run = 0
        self.slip_days = 0
        self.milestones_celebrated = 0
        self.unsafe = False
        self.tip_day = None
        self.tip_stage = None
        self.tip_index = None
        self.tips_seen = {}
        self.recent_tips = []
        self.met_on = None
        self.slip_prev_stage = None
        self.slip_prev_contact_on = None

    def advance(self, today: date) -> None:
        """Move on by the calendar alone: a week without contact opens the confidence stage."""
        if (
            self.stage is Stage.NO_CONTACT
            and self.no_contact_days(today) >= rules.CONFIDENCE_STAGE_DAYS
        ):
            self.stage = Stage.CONFIDENCE

    def record_contact(self, today: date, contact: Contact, *, first_today: bool) -> bool:
        """Apply a day's contact; return True when it counted as a slip.

        `first_today` is False when today already had a slip recorded, so a second
        message on the same day neither counts twice nor moves the anchor.
        """
        if contact is not Contact.SOME or self.started_on is None:
            return False
        if self.stage in CONTACT_EXPECTED_STAGES or self.stage in CALL_STAGES:
            return False
        if not first_today:
            return True
        anchor = self.anchor()
        assert anchor is not None
        self.best_run = max(self.best_run, max(0, (today - anchor).days))
        self.slip_prev_stage = self.stage
        self.slip_prev_contact_on = self.last_contact_on
        self.last_contact_on = today
        self.slip_days += 1
        if self.stage in SLIP_STAGES:
            self.stage = Stage.NO_CONTACT
        return True

    def undo_slip(self, today: date) -> None:
        """Today's slip was a mistake (the day was re-logged as no contact): take it back."""
        if self.last_contact_on != today:
            return
        self.last_contact_on = self.slip_prev_contact_on
        self.slip_days = max(0, self.slip_days - 1)
        if self.slip_prev_stage is not None:
            self.stage = self.slip_prev_stage
        self.slip_prev_stage = None
        self.slip_prev_contact_on = None

    def record_log(self, today: date, *, new_day: bool, run_before: int = 0) -> None:
        """Count a day log: `log_days`, and `log_run`, the consecutive logged days ending at
        the newest log (a re-log of a logged day changes nothing).

        A day earlier than the newest log (a device moved west, a request from before
        midnight arriving late) that `closes_gap` joins the current run to the `run_before`
        logged days that end the day before it."""
        if not new_day:
            return
        self.log_days += 1
        if self.last_log_on is None or today > self.last_log_on:
            gap = None if self.last_log_on is None else (today - self.last_log_on).days
            self.log_run = self.log_run + 1 if gap == 1 else 1
            self.last_log_on = today
        elif self.closes_gap(today):
            self.log_run += 1 + run_before

    def closes_gap(self, day: date) -> bool:
        """Whether `day`, before the newest log, is the unlogged day just before its run."""
        if self.last_log_on is None or day >= self.last_log_on:
            return False
        return (self.last_log_on - day).days == self.log_run

    def due_milestone(self, today: date) -> int | None:
        """The highest milestone reached and not yet celebrated, marking all below as done
        (none from the meeting on: the rebuild is celebrated, not days without contact)."""
        if self.stage not in MILESTONE_STAGES:
            return None
        days = self.no_contact_days(today)
        due: int | None = None
        for i, m in enumerate(rules.MILESTONES):
            if days >= m and not self.milestones_celebrated & (1 << i):
                self.milestones_celebrated |= 1 << i
                due = m
        return due


class Account:
    """A user as the use cases see them: their journey, language, time zone and daily
    reminder. `id` and `revision` belong to the repository (which row, read when). A plain
    class: building a dataclass would add to every cold start."""

    __slots__ = (
        "id",
        "journey",
        "locale",
        "reminder_time",
        "reminder_token",
        "revision",
        "time_zone",
        "zone_checked_on",
    )

    def __init__(self, id: int, revision: int, locale: str, journey: Journey) -> None:
        self.id, self.revision, self.locale, self.journey = id, revision, locale, journey
        self.time_zone: str | None = None
        self.zone_checked_on: date | None = None  # the UTC day the zone was last asked for
        self.reminder_token: str | None = None
        self.reminder_time: str | None = None  # "21:00", local
