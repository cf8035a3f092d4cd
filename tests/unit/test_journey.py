"""The journey's figures and transitions, with `today` as a plain argument."""

from __future__ import annotations

from datetime import date, timedelta

from skill.domain.model import Contact, Journey, Stage

START = date(2026, 3, 1)


def started(stage: Stage = Stage.NO_CONTACT, on: date = START) -> Journey:
    journey = Journey()
    journey.start(on, stage=stage)
    return journey


def slip(journey: Journey, day: date) -> bool:
    return journey.record_contact(day, Contact.SOME, first_today=True)


def test_starting_today_gives_zero_no_contact_days() -> None:
    assert started().no_contact_days(START) == 0


def test_no_contact_days_count_whole_local_days_since_the_start() -> None:
    assert started().no_contact_days(START + timedelta(days=12)) == 12


def test_no_contact_days_are_never_negative_when_the_clock_goes_back() -> None:
    assert started().no_contact_days(START - timedelta(days=1)) == 0


def test_before_the_reflect_questions_there_is_no_clock() -> None:
    journey = Journey()
    assert journey.no_contact_days(START) == 0
    assert journey.journey_days(START) == 0
    assert not journey.started


def test_a_slip_on_the_eleventh_ends_a_run_of_ten_and_restarts_the_clock() -> None:
    journey = started()
    assert slip(journey, date(2026, 3, 11))
    assert journey.best_run == 10
    assert journey.no_contact_days(date(2026, 3, 11)) == 0
    assert journey.no_contact_days(date(2026, 3, 14)) == 3
    assert journey.best_streak(date(2026, 3, 14)) == 10


def test_the_best_streak_includes_the_current_run_once_it_is_longer() -> None:
    journey = started()
    slip(journey, date(2026, 3, 4))
    assert journey.best_streak(date(2026, 3, 30)) == 26


def test_a_slip_returns_confidence_to_no_contact() -> None:
    for stage in (Stage.CONFIDENCE, Stage.NO_CONTACT):
        journey = started(stage)
        slip(journey, START + timedelta(days=20))
        assert journey.stage is Stage.NO_CONTACT


def test_a_slip_while_moving_on_resets_the_clock_and_keeps_the_stage() -> None:
    journey = started(Stage.MOVING_ON)
    assert slip(journey, START + timedelta(days=20))
    assert journey.stage is Stage.MOVING_ON
    assert journey.no_contact_days(START + timedelta(days=21)) == 1
    assert journey.best_streak(START + timedelta(days=21)) == 20


def test_contact_from_the_ready_stage_on_resets_nothing() -> None:
    # In `ready` the contact is the call the coach advised; from `meeting` on it is expected.
    for stage in (Stage.READY, Stage.MEETING, Stage.REKINDLING):
        journey = started(stage)
        assert not slip(journey, START + timedelta(days=40))
        assert journey.stage is stage
        assert journey.no_contact_days(START + timedelta(days=40)) == 40
        assert journey.slip_days == 0


def test_necessary_contact_is_never_a_slip() -> None:
    journey = started()
    assert not journey.record_contact(
        START + timedelta(days=3), Contact.NECESSARY, first_today=True
    )
    assert journey.no_contact_days(START + timedelta(days=3)) == 3


def test_a_second_slip_the_same_day_counts_once() -> None:
    journey = started()
    day = START + timedelta(days=5)
    slip(journey, day)
    journey.record_contact(day, Contact.SOME, first_today=False)
    assert journey.slip_days == 1
    assert journey.best_run == 5


def test_contact_free_share_counts_every_day_of_the_journey_including_today() -> None:
    journey = started()
    for offset in (3, 9, 20, 30):
        slip(journey, START + timedelta(days=offset))
    today = START + timedelta(days=44)
    assert journey.journey_days(today) == 45
    assert journey.contact_free_days(today) == 41


def test_undoing_todays_slip_restores_the_clock_and_the_stage() -> None:
    journey = started(Stage.CONFIDENCE)
    day = START + timedelta(days=9)
    slip(journey, day)
    journey.undo_slip(day)
    assert journey.stage is Stage.CONFIDENCE
    assert journey.no_contact_days(day) == 9
    assert journey.slip_days == 0


def test_seven_days_without_contact_open_the_confidence_stage() -> None:
    journey = started()
    journey.advance(START + timedelta(days=6))
    assert journey.stage is Stage.NO_CONTACT
    journey.advance(START + timedelta(days=7))
    assert journey.stage is Stage.CONFIDENCE


def test_the_log_streak_ends_today_or_yesterday_and_breaks_after_a_gap() -> None:
    journey = started()
    for offset in range(5):
        journey.record_log(START + timedelta(days=offset), new_day=True)
    assert journey.log_streak(START + timedelta(days=4)) == 5
    assert journey.log_streak(START + timedelta(days=5)) == 5
    assert journey.log_streak(START + timedelta(days=6)) == 0
    journey.record_log(START + timedelta(days=7), new_day=True)
    assert journey.log_streak(START + timedelta(days=7)) == 1


def test_relogging_the_same_day_does_not_grow_the_log_streak() -> None:
    journey = started()
    journey.record_log(START, new_day=True)
    journey.record_log(START, new_day=False)
    assert journey.log_streak(START) == 1
    assert journey.log_days == 1


def test_each_milestone_is_celebrated_once() -> None:
    journey = started()
    assert journey.due_milestone(START + timedelta(days=6)) is None
    assert journey.due_milestone(START + timedelta(days=7)) == 7
    assert journey.due_milestone(START + timedelta(days=8)) is None
    assert journey.due_milestone(START + timedelta(days=14)) == 14


def test_returning_past_two_milestones_celebrates_only_the_highest() -> None:
    journey = started()
    assert journey.due_milestone(START + timedelta(days=22)) == 21
    assert journey.due_milestone(START + timedelta(days=23)) is None
    assert journey.next_milestone(START + timedelta(days=23)) == 30


def test_after_ninety_days_there_is_no_next_milestone() -> None:
    journey = started()
    assert journey.next_milestone(START + timedelta(days=90)) is None
    assert journey.next_milestone(START + timedelta(days=89)) == 90


def test_starting_over_clears_the_journey_but_not_the_log_count() -> None:
    journey = started()
    journey.record_log(START, new_day=True)
    slip(journey, START + timedelta(days=3))
    journey.restart()
    assert journey.stage is Stage.REFLECT
    assert journey.best_run == 0
    assert journey.slip_days == 0
    assert journey.log_days == 1
