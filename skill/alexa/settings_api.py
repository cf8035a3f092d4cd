"""The Alexa Settings API: the device's time zone, asked with a hard time budget."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests

log = logging.getLogger(__name__)

#: Seconds to wait for the Settings API (connect and read) before falling back.
DEFAULT_TIMEOUT = 1.0


def fetch_time_zone(
    api_endpoint: str,
    device_id: str,
    api_access_token: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    session: requests.Session | None = None,
) -> str | None:
    """The device's IANA time zone, or None when it cannot be had in time.

    GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone answers a JSON string.
    """
    url = f"{api_endpoint.rstrip('/')}/v2/devices/{device_id}/settings/System.timeZone"
    http = session or requests
    try:
        reply = http.get(
            url,
            headers={"Authorization": f"Bearer {api_access_token}", "Accept": "application/json"},
            timeout=(timeout, timeout),
        )
    except requests.RequestException as exc:
        log.warning("time zone lookup failed: %s", type(exc).__name__)
        return None
    if reply.status_code != 200:
        log.warning("time zone lookup answered HTTP %s", reply.status_code)
        return None
    try:
        zone = reply.json()
    except ValueError:
        log.warning("time zone lookup answered something that is not JSON")
        return None
    if not isinstance(zone, str):
        log.warning("time zone lookup answered a %s, not a zone name", type(zone).__name__)
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("time zone lookup answered an unknown zone")
        return None
    return zone
