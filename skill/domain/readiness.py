"""'Am I ready': the four rules of PRODUCT §4, judged on `today` with the user's own figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skill.domain import rules
from skill.domain.model import Activity, DayEntry, Journey


class Condition(NamedTuple):
    """One readiness rule with the user's figure and what it needs."""

    key: str  # no_contact | logs | confidence | activities
    have: float
    need: float
    met: bool

    @property
    def gap(self) -> float:
        """How far short the user is, as a share of what is needed (0 when met)."""
        if self.met or self.need <= 0:
            return 0.0
        return (self.need - self.have) / self.need


class Readiness(NamedTuple):
    """The verdict: every condition, the unmet ones biggest gap first."""

    conditions: tuple[Condition, ...]

    @property
    def ready(self) -> bool:
        """All four rules hold."""
        return all(c.met for c in self.conditions)

    @property
    def unmet(self) -> tuple[Condition, ...]:
        """The rules that fail, biggest gap first."""
        return tuple(sorted((c for c in self.conditions if not c.met), key=lambda c: -c.gap))

    @property
    def met(self) -> tuple[Condition, ...]:
        """The rules that hold."""
        return tuple(c for c in self.conditions if c.met)


def _within(entries: Sequence[DayEntry], today: date, days: int) -> list[DayEntry]:
    first = today - timedelta(days=days - 1)
    return [e for e in entries if first <= e.day <= today and e.is_log]


def assess(journey: Journey, entries: Sequence[DayEntry], today: date) -> Readiness:
    """Judge readiness from the journey and the recent day entries (older ones are ignored)."""
    days = journey.no_contact_days(today)
    week = _within(entries, today, rules.READY_LOG_WINDOW_DAYS)
    fortnight = _within(entries, today, rules.READY_ACTIVITY_WINDOW_DAYS)
    confidences = [e.confidence for e in week if e.confidence is not None]
    average = sum(confidences) / len(confidences) if confidences else 0.0
    activities = {e.activity for e in fortnight if e.activity not in (None, Activity.NONE)}
    return Readiness(
        (
            Condition(
                "no_contact", days, rules.READY_NO_CONTACT_DAYS, days >= rules.READY_NO_CONTACT_DAYS
            ),
            Condition(
                "logs",
                len(week),
                rules.READY_LOGS_IN_WINDOW,
                len(week) >= rules.READY_LOGS_IN_WINDOW,
            ),
            Condition(
                "confidence",
                round(average, 1),
                rules.READY_MIN_AVERAGE_CONFIDENCE,
                bool(confidences) and average >= rules.READY_MIN_AVERAGE_CONFIDENCE,
            ),
            Condition(
                "activities",
                len(activities),
                rules.READY_ACTIVITIES,
                len(activities) >= rules.READY_ACTIVITIES,
            ),
        )
    )
