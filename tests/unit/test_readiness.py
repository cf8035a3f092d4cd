"""The four readiness rules on their edges, with the user's own figures."""

from __future__ import annotations

from datetime import date, timedelta

from skill.domain.model import Activity, Contact, DayEntry, Journey, Stage
from skill.domain.readiness import assess

TODAY = date(2026, 6, 30)
ACTIVITIES = [Activity.FRIENDS, Activity.HOBBY, Activity.EXERCISE, Activity.SELF_CARE]


def journey_with(no_contact_days: int) -> Journey:
    journey = Journey()
    journey.start(TODAY - timedelta(days=no_contact_days), stage=Stage.CONFIDENCE)
    return journey


def logs(
    count: int, confidence: int = 8, activities: list[Activity] | None = None
) -> list[DayEntry]:
    cycle = activities or ACTIVITIES
    return [
        DayEntry(TODAY - timedelta(days=i), Contact.NONE, cycle[i % len(cycle)], confidence)
        for i in range(count)
    ]


def test_all_four_rules_met_is_ready() -> None:
    verdict = assess(journey_with(30), logs(4), TODAY)
    assert verdict.ready
    assert verdict.unmet == ()


def test_twenty_nine_days_is_not_ready_and_says_day_29_of_30() -> None:
    verdict = assess(journey_with(29), logs(7), TODAY)
    assert not verdict.ready
    [gap] = verdict.unmet
    assert (gap.key, gap.have, gap.need) == ("no_contact", 29, 30)


def test_three_logs_in_seven_days_is_one_short() -> None:
    verdict = assess(journey_with(40), logs(3), TODAY)
    assert [c.key for c in verdict.unmet] == ["logs"]
    assert next(c for c in verdict.conditions if c.key == "logs").have == 3


def test_logs_older_than_seven_days_do_not_count_towards_the_week() -> None:
    old = [
        DayEntry(TODAY - timedelta(days=7 + i), Contact.NONE, ACTIVITIES[i], 9) for i in range(4)
    ]
    verdict = assess(journey_with(40), old, TODAY)
    logs_rule = next(c for c in verdict.conditions if c.key == "logs")
    assert logs_rule.have == 0 and not logs_rule.met
    activities_rule = next(c for c in verdict.conditions if c.key == "activities")
    assert activities_rule.met  # the activities window is fourteen days


def test_an_average_confidence_of_exactly_seven_passes_and_six_point_nine_fails() -> None:
    sevens = logs(4, confidence=7)
    assert assess(journey_with(30), sevens, TODAY).ready
    mixed = logs(4, confidence=7)
    mixed[0] = DayEntry(mixed[0].day, Contact.NONE, Activity.FRIENDS, 6)
    verdict = assess(journey_with(30), mixed, TODAY)
    confidence = next(c for c in verdict.conditions if c.key == "confidence")
    assert not confidence.met
    assert confidence.have == 6.8


def test_nothing_and_repeats_do_not_count_as_different_activities() -> None:
    entries = logs(6, activities=[Activity.NONE, Activity.HOBBY, Activity.HOBBY, Activity.FRIENDS])
    verdict = assess(journey_with(35), entries, TODAY)
    activities = next(c for c in verdict.conditions if c.key == "activities")
    assert (activities.have, activities.met) == (2, False)


def test_a_slip_only_day_is_not_a_log() -> None:
    entries = [*logs(3), DayEntry(TODAY - timedelta(days=5), Contact.SOME)]
    verdict = assess(journey_with(31), entries, TODAY)
    assert next(c for c in verdict.conditions if c.key == "logs").have == 3


def test_unmet_rules_are_ordered_biggest_gap_first() -> None:
    entries = logs(3, confidence=6, activities=[Activity.HOBBY])
    verdict = assess(journey_with(3), entries, TODAY)
    assert [c.key for c in verdict.unmet] == ["no_contact", "activities", "logs", "confidence"]
    assert verdict.met == ()
