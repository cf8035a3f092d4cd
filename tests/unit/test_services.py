"""Use cases against a hand-written fake unit of work: commits, rollbacks, transitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import TracebackType

import pytest

from skill import services
from skill.domain.model import (
    Account,
    Activity,
    Contact,
    DayEntry,
    Journey,
    MeetingOutcome,
    Stage,
)
from skill.services import Caller

NOON = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


class FakeRepository:
    def __init__(self) -> None:
        self.users: dict[str, Account] = {}
        self.days: dict[tuple[int, date], DayEntry] = {}

    def get_user(self, user_hash: str, *, lock: bool = False) -> Account | None:
        return self.users.get(user_hash)

    def add_user(self, user_hash: str, locale: str) -> Account:
        user = Account(id=len(self.users) + 1, revision=0, locale=locale, journey=Journey())
        self.users[user_hash] = user
        return user

    def get_days(self, user: Account, since: date, *, logs: int = 0) -> list[DayEntry]:
        mine = sorted((e for (i, _), e in self.days.items() if i == user.id), key=lambda e: e.day)
        newest = [e for e in mine if e.is_log][-logs:] if logs else []
        return [e for e in mine if e.day >= since or e in newest]

    def put_day(self, user: Account, entry: DayEntry) -> None:
        self.days[(user.id, entry.day)] = entry

    def mark_contact(self, user: Account, day: date, contact: Contact) -> None:
        before = self.days.get((user.id, day))
        self.days[(user.id, day)] = DayEntry(
            day, contact, before.activity if before else None, before.confidence if before else None
        )

    def delete_user(self, user_hash: str) -> bool:
        user = self.users.pop(user_hash, None)
        self.days = {k: v for k, v in self.days.items() if user is None or k[0] != user.id}
        return user is not None


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
    uow.repo.users["user"].journey.stage = Stage.READY
    assert services.arrange_meeting(uow, at(40))[0].stage is Stage.MEETING
    unsure = services.meeting_outcome(uow, at(41), MeetingOutcome.UNSURE)
    assert unsure.stage is Stage.MEETING
    again = services.meeting_outcome(uow, at(42), MeetingOutcome.AGAIN)
    assert again.stage is Stage.REKINDLING


def test_no_spark_then_keep_going_returns_to_confidence_without_resetting_the_clock(
    uow: FakeUnitOfWork,
) -> None:
    uow.repo.users["user"].journey.stage = Stage.MEETING
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
