"""Today in the user's own time zone: the calendar the streaks are counted in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone by name, or None when it is unknown."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_today(now: datetime, zone_name: str | None) -> date:
    """The calendar date of `now` in the zone (UTC when the zone is unknown)."""
    return now.astimezone(zone(zone_name) or ZoneInfo("UTC")).date()
