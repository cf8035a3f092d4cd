"""Today in the user's own time zone: the calendar the streaks are counted in."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: What an IANA zone name looks like ("America/Argentina/Buenos_Aires", "Etc/GMT+5"); the
#: longest is about 30 characters. Anything else is not looked up on the disk at all.
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,3}")
MAX_ZONE_NAME = 64


def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone by name, or None when it is unknown or not shaped like a zone name."""
    if not name or len(name) > MAX_ZONE_NAME or not _ZONE_NAME.fullmatch(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_today(now: datetime, zone_name: str | None) -> date:
    """The calendar date of `now` in the zone (UTC when the zone is unknown)."""
    return now.astimezone(zone(zone_name) or ZoneInfo("UTC")).date()
