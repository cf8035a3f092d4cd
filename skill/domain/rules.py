"""Every number of the method lives here, and only here."""

from __future__ import annotations

CONFIDENCE_STAGE_DAYS = 7
MILESTONES: tuple[int, ...] = (7, 14, 21, 30, 60, 90)

READY_NO_CONTACT_DAYS = 30
READY_LOGS_IN_WINDOW = 4
READY_LOG_WINDOW_DAYS = 7
READY_MIN_AVERAGE_CONFIDENCE = 7.0
READY_ACTIVITIES = 3
READY_ACTIVITY_WINDOW_DAYS = 14

#: No tip comes back within this many days, even after its stage's pool is used up.
TIP_REPEAT_DAYS = 7

CONFIDENCE_MIN = 1
CONFIDENCE_MAX = 10

PROGRESS_WINDOW_DAYS = 7

#: How many days of history any request may read: the widest window above.
HISTORY_WINDOW_DAYS = max(READY_ACTIVITY_WINDOW_DAYS, 2 * PROGRESS_WINDOW_DAYS)

#: Days (and logs) a screen shows.
SCREEN_HISTORY_DAYS = 14
