"""The weekly summary: this week against the one before."""

from __future__ import annotations

from datetime import date, timedelta

from skill.domain.model import Activity, Contact, DayEntry
from skill.domain.progress import summarize

TODAY = date(2026, 4, 14)


def day(
    offset: int,
    confidence: int | None,
    activity: Activity | None = Activity.HOBBY,
    contact: Contact = Contact.NONE,
) -> DayEntry:
    return DayEntry(TODAY - timedelta(days=offset), contact, activity, confidence)


def test_the_week_reports_logs_average_change_activities_and_slips() -> None:
    entries = [
        day(10, 4),
        day(8, 6),  # the week before: average 5
        day(6, 6, Activity.FRIENDS),
        day(3, 8, Activity.EXERCISE),
        day(1, 7, Activity.EXERCISE),
        day(2, None, None, Contact.SOME),
        day(0, 9, Activity.NONE, Contact.NECESSARY),
    ]
    week = summarize(entries, TODAY)
    assert week.days_logged == 4
    assert week.average_confidence == 7.5
    assert week.previous_average == 5.0
    assert week.confidence_change == 2.5
    assert week.activities == (Activity.EXERCISE, Activity.FRIENDS)
    assert week.slips == 1
    assert week.necessary_contacts == 1


def test_a_week_without_logs_has_no_average_and_no_change() -> None:
    week = summarize([day(9, 8)], TODAY)
    assert week.days_logged == 0
    assert week.average_confidence is None
    assert week.confidence_change is None
