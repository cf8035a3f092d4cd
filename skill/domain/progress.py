"""'How am I doing': the last seven days against the seven before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skill.domain import rules
from skill.domain.model import Activity, Contact, DayEntry


class WeekSummary(NamedTuple):
    """Figures for one week of day entries."""

    days_logged: int
    average_confidence: float | None
    previous_average: float | None
    activities: tuple[Activity, ...]  # most frequent first, NONE left out
    slips: int
    necessary_contacts: int

    @property
    def confidence_change(self) -> float | None:
        """Change in average confidence from the week before, when both weeks have logs."""
        if self.average_confidence is None or self.previous_average is None:
            return None
        return round(self.average_confidence - self.previous_average, 1)


def _average(entries: Sequence[DayEntry]) -> float | None:
    values = [e.confidence for e in entries if e.confidence is not None]
    return round(sum(values) / len(values), 1) if values else None


def summarize(entries: Sequence[DayEntry], today: date) -> WeekSummary:
    """Summarize the last `PROGRESS_WINDOW_DAYS` days (today included) against the days before."""
    span = rules.PROGRESS_WINDOW_DAYS
    this_start = today - timedelta(days=span - 1)
    prev_start = this_start - timedelta(days=span)
    this_week = [e for e in entries if this_start <= e.day <= today]
    prev_week = [e for e in entries if prev_start <= e.day < this_start]
    logs = [e for e in this_week if e.is_log]
    counts = Counter(e.activity for e in logs if e.activity and e.activity is not Activity.NONE)
    return WeekSummary(
        days_logged=len(logs),
        average_confidence=_average(logs),
        previous_average=_average([e for e in prev_week if e.is_log]),
        activities=tuple(a for a, _ in counts.most_common()),
        slips=sum(1 for e in this_week if e.contact is Contact.SOME),
        necessary_contacts=sum(1 for e in this_week if e.contact is Contact.NECESSARY),
    )
