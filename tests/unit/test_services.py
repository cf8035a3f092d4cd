"""Use cases against a hand-written fake unit of work: commits, rollbacks, transitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import TracebackType

import pytest

from skill import services
from skill.db.repository import USER_COLUMNS, UserRow
from skill.domain.model import Activity, Contact, DayEntry, MeetingOutcome, Stage
from skill.services import Caller

NOON = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


class FakeRepository:
    def __init__(self) -> None:
        self.users: dict[str, UserRow] = {}
        self.days: dict[tuple[str, date], DayEntry] = {}

    def get_user(self, user_hash: str, *, lock: bool = False) -> UserRow | None:
        return self.users.get(user_hash)

    def get_user_with_screen(
        self, user_hash: str, since: date, logs: int, *, lock: bool = False
    ) -> tuple[UserRow | None, list[DayEntry]]:
        user = self.users.get(user_hash)
        if user is None:
            return None, []
        recent, newest = self._screen(user, since, logs)
        return user, sorted({e.day: e for e in (*recent, *newest)}.values(), key=lambda e: e.day)

    def add_user(
        self, user_hash: str, locale: str, zone: str | None = None, checked_on: date | None = None
    ) -> UserRow:
        values = dict.fromkeys(USER_COLUMNS)
        values.update(
            id=len(self.users) + 1,
            user_hash=user_hash,
            locale=locale,
            time_zone=zone,
            zone_checked_on=checked_on,
            stage="reflect",
            best_run=0,
            slip_days=0,
            milestones=0,
            unsafe=False,
            log_days=0,
            log_run=0,
            tips_seen="{}",
            reminder_offered=False,
        )
        user = UserRow(tuple(values[c] for c in USER_COLUMNS))
        self.users[user_hash] = user
        return user

    def day(self, user: UserRow, day: date) -> DayEntry | None:
        return self.days.get((user.user_hash, day))

    def put_day(self, user: UserRow, entry: DayEntry) -> None:
        self.days[(user.user_hash, entry.day)] = entry

    def mark_contact(self, user: UserRow, day: date, contact: Contact) -> None:
        before = self.days.get((user.user_hash, day))
        self.days[(user.user_hash, day)] = DayEntry(
            day, contact, before.activity if before else None, before.confidence if before else None
        )

    def _screen(
        self, user: UserRow, first_day: date, logs: int
    ) -> tuple[list[DayEntry], list[DayEntry]]:
        mine = sorted(
            (e for (h, _), e in self.days.items() if h == user.user_hash), key=lambda e: e.day
        )
        return [e for e in mine if e.day >= first_day], [e for e in mine if e.is_log][-logs:]

    def delete_user(self, user_hash: str) -> bool:
        self.days = {k: v for k, v in self.days.items() if k[0] != user_hash}
        return self.users.pop(user_hash, None) is not None


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.repo = FakeRepository()
        self.commits = 0
        self.rollbacks = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollbacks += 1

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        self.rollbacks += 1

    def pause(self) -> bool:
        self.rollback()
        return True

    def lock_reads(self) -> None:
        pass


def at(days: int, lookup=None) -> Caller:
    return Caller("user", "en-US", NOON + timedelta(days=days), lookup)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    services.open_session(fake, at(0))
    services.answer_worth_pursuing(fake, at(0), worth_it=True)
    return fake


def test_every_use_case_commits_exactly_once(uow: FakeUnitOfWork) -> None:
    before = uow.commits
    services.log_day(uow, at(1), Contact.NONE, Activity.HOBBY, 7)
    assert uow.commits == before + 1


def test_an_out_of_range_confidence_is_refused_before_anything_changes(
    uow: FakeUnitOfWork,
) -> None:
    before = uow.commits
    with pytest.raises(ValueError):
        services.log_day(uow, at(1), Contact.NONE, Activity.HOBBY, 0)
    assert uow.commits == before
    assert uow.repo.days == {}


def test_answering_not_safe_moves_on_and_marks_the_plan_contact_free() -> None:
    fake = FakeUnitOfWork()
    status = services.answer_safety(fake, at(0), safe=False)
    assert status.stage is Stage.MOVING_ON
    assert status.unsafe


def test_a_user_who_answers_not_safe_never_reaches_the_ready_stage() -> None:
    fake = FakeUnitOfWork()
    services.answer_safety(fake, at(0), safe=False)
    for day in range(31, 38):
        services.log_day(fake, at(day), Contact.NONE, list(Activity)[day % 6], 9)
    status = services.choose_after_readiness(fake, at(37), still_want=True)
    assert status.stage is Stage.MOVING_ON


def test_still_wanting_them_back_without_passing_the_check_changes_nothing(
    uow: FakeUnitOfWork,
) -> None:
    status = services.choose_after_readiness(uow, at(3), still_want=True)
    assert status.stage is Stage.NO_CONTACT


def test_the_meeting_stages_follow_ready_then_the_outcome(uow: FakeUnitOfWork) -> None:
    uow.repo.users["user"].stage = Stage.READY.value
    assert services.arrange_meeting(uow, at(40))[0].stage is Stage.MEETING
    unsure = services.meeting_outcome(uow, at(41), MeetingOutcome.UNSURE)
    assert unsure.stage is Stage.MEETING
    again = services.meeting_outcome(uow, at(42), MeetingOutcome.AGAIN)
    assert again.stage is Stage.REKINDLING


def test_no_spark_then_keep_going_returns_to_confidence_without_resetting_the_clock(
    uow: FakeUnitOfWork,
) -> None:
    uow.repo.users["user"].stage = Stage.MEETING.value
    status = services.choose_after_no_spark(uow, at(45), move_on=False)
    assert status.stage is Stage.CONFIDENCE
    assert status.no_contact_days == 45


def test_a_meeting_is_not_arranged_before_the_readiness_check(uow: FakeUnitOfWork) -> None:
    assert services.arrange_meeting(uow, at(10))[0].stage is Stage.CONFIDENCE


def test_the_zone_lookup_runs_outside_the_transaction(uow: FakeUnitOfWork) -> None:
    rollbacks_seen: list[int] = []

    def lookup() -> str:
        rollbacks_seen.append(uow.rollbacks)
        return "Europe/Berlin"

    before = uow.rollbacks
    services.status(uow, at(2, lookup))
    assert rollbacks_seen == [before + 1]
    assert uow.repo.users["user"].time_zone == "Europe/Berlin"


def test_starting_over_keeps_the_day_logs(uow: FakeUnitOfWork) -> None:
    services.log_day(uow, at(1), Contact.NONE, Activity.HOBBY, 7)
    status = services.start_over(uow, at(2))
    assert status.stage is Stage.REFLECT
    assert len(uow.repo.days) == 1
