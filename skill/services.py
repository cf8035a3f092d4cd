"""Use cases. Each takes a unit of work, commits explicitly, and returns plain figures."""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import NamedTuple, ParamSpec, TypeVar

from skill.db.database import deadline
from skill.db.uow import Conflict, UnitOfWork
from skill.domain import rules
from skill.domain.clock import local_today
from skill.domain.clock import zone as zone_named
from skill.domain.model import (
    CONTACT_EXPECTED_STAGES,
    Account,
    Activity,
    Contact,
    DayEntry,
    Journey,
    MeetingOutcome,
    Stage,
)
from skill.domain.progress import summarize
from skill.domain.readiness import assess
from skill.domain.tips import todays_tip
from skill.figures import (
    History as History,
)
from skill.figures import (
    LogResult as LogResult,
)
from skill.figures import (
    ProgressResult as ProgressResult,
)
from skill.figures import (
    ReadinessResult as ReadinessResult,
)
from skill.figures import (
    ReminderState as ReminderState,
)
from skill.figures import (
    SlipResult as SlipResult,
)
from skill.figures import (
    Status as Status,
)
from skill.figures import (
    TipResult as TipResult,
)
from skill.figures import (
    UrgeResult as UrgeResult,
)

log = logging.getLogger(__name__)

ZoneLookup = Callable[[], str | None]
P = ParamSpec("P")
R = TypeVar("R")
#: How often a use case is run when other requests keep changing the user under it.
CONFLICT_ATTEMPTS = 3


def hash_user_id(user_id: str, pepper: str) -> str:
    """The only form in which a user id is ever stored: an HMAC-SHA256 with the pepper."""
    return hmac.new(pepper.encode(), user_id.encode(), hashlib.sha256).hexdigest()


class Caller(NamedTuple):
    """Who is asking, and when: the hashed user, their locale and the request's instant."""

    user_hash: str
    locale: str
    now: datetime  # aware, from request.timestamp
    zone_lookup: ZoneLookup | None = None


class _Loaded(NamedTuple):  # a journey as of today, with the days the use case asked for
    account: Account
    journey: Journey
    today: date
    is_new: bool
    entries: Sequence[DayEntry] = ()


class _Window(NamedTuple):
    """The days a use case reads: from `days` before today on, and the newest `logs` logs."""

    days: int
    logs: int = 0


_NOT_LOOKED = object()


def _load(
    uow: UnitOfWork, caller: Caller, account: Account | None, window: _Window | None, zone: object
) -> _Loaded:
    """The caller's journey as of today (created if new), with what a zone lookup found."""
    is_new = account is None
    if account is None:
        account = uow.repo.add_user(caller.user_hash, caller.locale)
    if zone is not _NOT_LOOKED:
        # A failed lookup counts as today's look too (else, with the API down, every request
        # would wait on it again): the last known zone, or UTC, serves until tomorrow's.
        if isinstance(zone, str) and zone_named(zone) is not None:
            account.time_zone = zone
        account.zone_checked_on = caller.now.date()
    account.locale = caller.locale
    today = local_today(caller.now, account.time_zone)
    account.journey.advance(today)
    entries: Sequence[DayEntry] = ()
    if window is not None:
        since = today - timedelta(days=window.days)
        entries = uow.repo.get_days(account, since, logs=window.logs)
    return _Loaded(account, account.journey, today, is_new, entries)


def _status(loaded: _Loaded, *, celebrate: bool = True) -> Status:
    j, today = loaded.journey, loaded.today
    milestone = j.due_milestone(today) if celebrate and j.started else None
    return Status(
        is_new=loaded.is_new,
        stage=j.stage,
        today=today,
        started=j.started,
        no_contact_days=j.no_contact_days(today),
        best_streak=j.best_streak(today),
        log_streak=j.log_streak(today),
        logged_today=j.logged_on(today),
        journey_days=j.journey_days(today),
        contact_free_days=j.contact_free_days(today),
        next_milestone=j.next_milestone(today),
        milestone=milestone,
        unsafe=j.unsafe,
        log_days=j.log_days,
        has_reminder=loaded.account.reminder_token is not None,
        reminder_offered=j.reminder_offered,
        days_since_meeting=j.days_since_meeting(today),
        met=j.met_on is not None,
    )


def _since(loaded: _Loaded, first_day: date) -> list[DayEntry]:
    return [e for e in loaded.entries if e.day >= first_day]


def _history(loaded: _Loaded) -> History:
    """What a screen shows: the last 14 days, and the last 14 logs however old."""
    span = rules.SCREEN_HISTORY_DAYS
    first = loaded.today - timedelta(days=span - 1)
    logs = [e for e in loaded.entries if e.is_log][-span:]
    return History(tuple(_since(loaded, first)), tuple(logs))


@contextmanager
def _journey(
    uow: UnitOfWork, caller: Caller, window: _Window | None = None, *, command: bool = True
) -> Iterator[_Loaded]:
    """One transaction on the caller's journey (created if new): committed unless it raises.

    A command reads with a lock, so overlapping commands for one user take turns; a
    question (`command=False`) reads without one, and its commit finds out if the user
    changed meanwhile (`Conflict`: `_retried` runs it again). When the user's time zone
    is due a look (once a UTC day), that first read's transaction ends, the zone is looked
    up with no connection or lock held, and the transaction starts again."""
    lookup, zone = caller.zone_lookup, _NOT_LOOKED
    while True:
        with uow:
            account = uow.repo.get_user(caller.user_hash, lock=command)
            stale = account is None or account.zone_checked_on != caller.now.date()
            if lookup is None or zone is not _NOT_LOOKED or not stale:
                yield _load(uow, caller, account, window, zone)
                uow.commit()
                return
        assert lookup is not None
        zone = lookup()


def _retried(use_case: Callable[P, R]) -> Callable[P, R]:
    """Run the use case again when another request changed the user since its read (see
    `_journey`); every run's waits on the database fit in one request's budget."""

    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with deadline():
            for attempt in range(1, CONFLICT_ATTEMPTS):
                try:
                    return use_case(*args, **kwargs)
                except Conflict:
                    log.info("the user changed under a request; running it again (%d)", attempt)
            return use_case(*args, **kwargs)

    return run


_SCREEN = _Window(rules.SCREEN_HISTORY_DAYS - 1, rules.SCREEN_HISTORY_DAYS)
_PROGRESS = _Window(2 * rules.PROGRESS_WINDOW_DAYS, rules.SCREEN_HISTORY_DAYS)
_WEEKS = _Window(2 * rules.PROGRESS_WINDOW_DAYS)
_READINESS = _Window(rules.HISTORY_WINDOW_DAYS)


@_retried
def open_session(
    uow: UnitOfWork,
    caller: Caller,
    *,
    history: bool = False,
    offer_reminder: Callable[[Status], bool] | None = None,
) -> Status:
    """Launch: create a new user at the reflect stage, or greet a returning one."""
    with _journey(uow, caller, _SCREEN if history else None, command=False) as loaded:
        status = _status(loaded)
        if offer_reminder is not None and loaded.journey.started and offer_reminder(status):
            loaded.journey.reminder_offered = True  # `status` still says due: this reply offers it
        if history and loaded.journey.started:
            status = status._replace(history=_history(loaded))
        return status


def status(uow: UnitOfWork, caller: Caller, *, history: bool = False) -> Status:
    """Today's figures (celebrating a milestone that has come due)."""
    return open_session(uow, caller, history=history)


@_retried
def answer_safety(uow: UnitOfWork, caller: Caller, *, safe: bool) -> Status:
    """Reflect, question one. Not safe: moving on, and the plan never suggests contact."""
    with _journey(uow, caller) as loaded:
        if not safe:
            loaded.journey.start(loaded.today, stage=Stage.MOVING_ON, unsafe=True)
        return _status(loaded, celebrate=False)


@_retried
def answer_worth_pursuing(uow: UnitOfWork, caller: Caller, *, worth_it: bool) -> Status:
    """Reflect, question two: yes starts no contact, no is moving on."""
    with _journey(uow, caller) as loaded:
        stage = Stage.NO_CONTACT if worth_it else Stage.MOVING_ON
        loaded.journey.start(loaded.today, stage=stage)
        return _status(loaded, celebrate=False)


@_retried
def log_day(
    uow: UnitOfWork,
    caller: Caller,
    contact: Contact,
    activity: Activity,
    confidence: int,
    *,
    history: bool = False,
    replace_slip: bool | None = None,
) -> LogResult:
    """Store today's log (replacing an earlier one today); SOME contact counts as a slip.

    A log of no contact over a slip told today is a question first (`replace_slip` None:
    nothing is written, `replaces_slip` says so); True replaces the slip, False keeps it."""
    if not rules.CONFIDENCE_MIN <= confidence <= rules.CONFIDENCE_MAX:
        raise ValueError("confidence out of range")
    with _journey(uow, caller, _SCREEN if history else None) as loaded:
        j, today = loaded.journey, loaded.today
        if not j.started:  # the reflect questions come first; nothing is logged
            return LogResult(_status(loaded, celebrate=False), slip=False, updated=False)
        recent: History | None = _history(loaded) if history else None
        if recent is not None:
            before = next((e for e in recent.days if e.day == today), None)
            had_slip = before is not None and before.contact is Contact.SOME
            updated = before is not None and before.is_log
        else:
            had_slip = j.last_contact_on == today
            # Only a day up to the newest log can be logged already; the day row, not
            # `last_log_on`, knows (today may be before the newest log: the device moved
            # west, or a request from before midnight came late).
            late = j.last_log_on is not None and today <= j.last_log_on
            before = uow.repo.get_day(loaded.account, today) if late else None
            updated = before is not None and before.is_log
        if had_slip and contact is Contact.NONE and j.last_contact_on == today:
            if replace_slip is None:
                status = _status(loaded, celebrate=False)
                return LogResult(status, slip=False, updated=updated, replaces_slip=True)
            if not replace_slip:
                contact = Contact.SOME
        slip = False
        if contact is Contact.SOME:
            slip = j.record_contact(today, contact, first_today=not had_slip)
        elif had_slip and j.last_contact_on == today:
            j.undo_slip(today)
        j.advance(today)
        uow.repo.put_day(loaded.account, DayEntry(today, contact, activity, confidence))
        run_before = 0
        if not updated and j.closes_gap(today):
            run_before = uow.repo.logged_run(loaded.account, today - timedelta(days=1))
        j.record_log(today, new_day=not updated, run_before=run_before)
        status = _status(loaded)
        if recent is not None:
            entry = DayEntry(today, contact, activity, confidence)
            days = (*(e for e in recent.days if e.day != today), entry)
            logs = (*(e for e in recent.logs if e.day != today), entry)
            status = status._replace(history=History(days, logs[-rules.SCREEN_HISTORY_DAYS :]))
        return LogResult(status, slip=slip, updated=updated)


@_retried
def record_slip(uow: UnitOfWork, caller: Caller) -> SlipResult:
    """'I texted my ex': the clock restarts, the history and best streak stay."""
    with _journey(uow, caller) as loaded:
        j, today = loaded.journey, loaded.today
        run_before = j.no_contact_days(today)
        already = j.last_contact_on == today
        counted = j.record_contact(today, Contact.SOME, first_today=not already)
        if not already and j.started:
            uow.repo.mark_contact(loaded.account, today, Contact.SOME)
        return SlipResult(
            _status(loaded, celebrate=False),
            run_before=run_before,
            counted=counted,
            already_today=already,
        )


@_retried
def tip_of_the_day(uow: UnitOfWork, caller: Caller, pool_size: Callable[[Stage], int]) -> TipResult:
    """The same tip all day, another tomorrow, none repeated until the stage's pool is used."""
    with _journey(uow, caller, command=False) as loaded:
        stage = loaded.journey.stage
        index = todays_tip(loaded.journey, loaded.today, pool_size(stage), caller.user_hash)
        return TipResult(_status(loaded), stage, index)


@_retried
def check_readiness(uow: UnitOfWork, caller: Caller) -> ReadinessResult:
    """Judge the four readiness rules on today."""
    with _journey(uow, caller, _READINESS, command=False) as loaded:
        entries = _since(loaded, loaded.today - timedelta(days=rules.HISTORY_WINDOW_DAYS))
        return ReadinessResult(_status(loaded), assess(loaded.journey, entries, loaded.today))


@_retried
def choose_after_readiness(uow: UnitOfWork, caller: Caller, *, still_want: bool) -> Status:
    """'Do you still want to get back together?' yes → ready (if still ready), no → moving on."""
    with _journey(uow, caller, _READINESS) as loaded:
        j = loaded.journey
        if not j.started:
            # The question was asked before a start-over elsewhere: it no longer applies.
            return _status(loaded, celebrate=False)
        if still_want:
            since = loaded.today - timedelta(days=rules.HISTORY_WINDOW_DAYS)
            if assess(j, _since(loaded, since), loaded.today).ready and not j.unsafe:
                j.stage = Stage.READY
        else:
            j.stage = Stage.MOVING_ON
        return _status(loaded, celebrate=False)


@_retried
def weekly_progress(uow: UnitOfWork, caller: Caller, *, history: bool = False) -> ProgressResult:
    """Days logged, average confidence and its change, activities and slips this week."""
    with _journey(uow, caller, _PROGRESS if history else _WEEKS, command=False) as loaded:
        since = loaded.today - timedelta(days=2 * rules.PROGRESS_WINDOW_DAYS)
        status = _status(loaded)
        if history and loaded.journey.started:
            status = status._replace(history=_history(loaded))
        week_start = loaded.today - timedelta(days=rules.PROGRESS_WINDOW_DAYS - 1)
        urges = uow.repo.count_urges(loaded.account, week_start) if loaded.journey.started else 0
        return ProgressResult(status, summarize(_since(loaded, since), loaded.today), urges)


@_retried
def arrange_meeting(uow: UnitOfWork, caller: Caller) -> tuple[Status, bool]:
    """'I'm meeting my ex': from the ready stage on, the meeting stage; earlier, nothing moves.

    Returns the status and whether this request arranged the meeting."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        arranged = j.stage is Stage.READY and not j.unsafe
        if arranged:
            j.stage = Stage.MEETING
        return _status(loaded), arranged


@_retried
def meeting_outcome(uow: UnitOfWork, caller: Caller, outcome: MeetingOutcome) -> Status:
    """Again → rekindling; unsure → still the meeting stage; no spark is answered by
    `choose_after_no_spark` once the user has said what they want."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        if j.stage in (Stage.MEETING, Stage.REKINDLING) and j.met_on is None:
            j.met_on = loaded.today  # the rebuild's first day
        if j.stage is Stage.MEETING and outcome is MeetingOutcome.AGAIN:
            j.stage = Stage.REKINDLING
        return _status(loaded)


@_retried
def choose_after_no_spark(uow: UnitOfWork, caller: Caller, *, move_on: bool) -> Status:
    """No spark at the meeting: move on, or keep building confidence and check again later."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        if j.stage in (Stage.MEETING, Stage.REKINDLING):
            j.stage = Stage.MOVING_ON if move_on else Stage.CONFIDENCE
        return _status(loaded, celebrate=False)


@_retried
def move_on(uow: UnitOfWork, caller: Caller) -> Status:
    """'I don't want them back': moving on, a win."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        if not j.started:
            j.start(loaded.today, stage=Stage.MOVING_ON)
        j.stage = Stage.MOVING_ON
        return _status(loaded, celebrate=False)


@_retried
def start_over(uow: UnitOfWork, caller: Caller) -> Status:
    """A fresh journey from the reflect questions; the day logs stay."""
    with _journey(uow, caller) as loaded:
        loaded.journey.restart()
        return _status(loaded, celebrate=False)


@_retried
def record_urge(uow: UnitOfWork, caller: Caller, ways: int) -> UrgeResult:
    """'I want to text my ex', before the meeting: count the urge ridden out today (never
    as contact) and pick the next of `ways` ways through it."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        if not j.started or j.unsafe or j.stage in CONTACT_EXPECTED_STAGES or ways <= 0:
            return UrgeResult(_status(loaded, celebrate=False), None)
        way = j.urges_total % ways
        j.urges_total += 1
        uow.repo.add_urge(loaded.account, loaded.today)
        return UrgeResult(_status(loaded, celebrate=False), way)


@_retried
def record_necessary_contact(uow: UnitOfWork, caller: Caller) -> Status:
    """Contact that was only about practical things: recorded, and it breaks nothing."""
    with _journey(uow, caller) as loaded:
        j, today = loaded.journey, loaded.today
        if j.started and j.last_contact_on != today:
            uow.repo.mark_contact(loaded.account, today, Contact.NECESSARY)
        return _status(loaded, celebrate=False)


@_retried
def mark_unsafe(uow: UnitOfWork, caller: Caller) -> Status:
    """A safety concern: the journey becomes one that was not safe (moving on, and the plan
    never again suggests contact). Only that flag is stored, nothing that was said."""
    with _journey(uow, caller) as loaded:
        j = loaded.journey
        if j.started:
            j.stage, j.unsafe = Stage.MOVING_ON, True
        else:
            j.start(loaded.today, stage=Stage.MOVING_ON, unsafe=True)
        return _status(loaded, celebrate=False)


@_retried
def delete_user(uow: UnitOfWork, user_hash: str) -> bool:
    """Delete every row the user has; True when there was anything."""
    with uow:
        deleted = uow.repo.delete_user(user_hash)
        uow.commit()
        return deleted


@_retried
def reminder_state(uow: UnitOfWork, caller: Caller) -> ReminderState:
    """What a reminder request needs: the current reminder and the user's time zone."""
    with _journey(uow, caller, command=False) as loaded:
        return ReminderState(loaded.account.reminder_token, loaded.account.time_zone or "UTC")


@_retried
def save_reminder(uow: UnitOfWork, caller: Caller, token: str | None, time: str | None) -> None:
    """Remember the reminder Alexa created (or that there is none any more)."""
    with uow:
        account = uow.repo.get_user(caller.user_hash, lock=True)
        if account is None:
            return
        account.reminder_token, account.reminder_time = token, time
        if token:
            account.journey.reminder_offered = True
        uow.commit()
