"""Alexa's HTTP APIs (Settings, Reminders, Directives), each call bounded by a 1 second budget.

Every failure becomes an `AlexaApiError` with a short kind the handlers turn into words:
timeout, network, unauthorized, forbidden, not_found, throttled, unavailable, bad_response.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from skill.domain import clock

if TYPE_CHECKING:  # imported on the first call: most requests never call an Alexa API
    import requests

log = logging.getLogger(__name__)


class _HideAlexaPaths(logging.Filter):
    """urllib3 logs each request line at DEBUG; Alexa API paths carry the device id and
    reminder tokens, so those lines are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return False
        return "/v2/devices/" not in message and "/alerts/reminders" not in message


logging.getLogger("urllib3.connectionpool").addFilter(_HideAlexaPaths())

DEFAULT_TIMEOUT = 1.0
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"


class AlexaApiError(Exception):
    """A call to an Alexa API that did not succeed."""

    def __init__(self, kind: str, status: int | None = None) -> None:
        super().__init__(kind if status is None else f"{kind} (HTTP {status})")
        self.kind = kind
        self.status = status

    @property
    def needs_permission(self) -> bool:
        """401/403: the user has not granted (or has revoked) the permission."""
        return self.kind in ("unauthorized", "forbidden")


def _kind(status: int) -> str:
    if status == 401:
        return "unauthorized"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not_found"
    if status == 429:
        return "throttled"
    if status >= 500:
        return "unavailable"
    return "bad_request"


class AlexaApi:
    """The APIs at `apiEndpoint`, authorized with the request's `apiAccessToken`."""

    def __init__(
        self,
        api_endpoint: str,
        api_access_token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.base = api_endpoint.rstrip("/")
        self.token = api_access_token
        self.timeout = timeout
        self.http: Any = session

    def _call(self, method: str, path: str, body: Any = None) -> requests.Response:
        import requests

        try:
            reply: requests.Response = (self.http or requests).request(
                method,
                f"{self.base}{path}",
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/json",
                },
                json=body,
                # Connect and read share the budget, so a call never waits longer in all.
                timeout=(self.timeout * 0.4, self.timeout * 0.6),
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise AlexaApiError("timeout") from exc
        except requests.RequestException as exc:
            raise AlexaApiError("network") from exc
        if not 200 <= reply.status_code < 300:
            raise AlexaApiError(_kind(reply.status_code), reply.status_code)
        return reply

    def _json(self, reply: requests.Response) -> Any:
        try:
            return reply.json()
        except ValueError as exc:
            raise AlexaApiError("bad_response", reply.status_code) from exc

    # -- Settings --------------------------------------------------------------------------

    def time_zone(self, device_id: str) -> str:
        """The device's IANA time zone."""
        reply = self._call("GET", f"/v2/devices/{device_id}/settings/System.timeZone")
        zone = self._json(reply)
        # Unknown, overlong or path-like names are a bad answer, like a failed lookup.
        if not isinstance(zone, str) or clock.zone(zone) is None:
            raise AlexaApiError("bad_response", reply.status_code)
        return zone

    def find_time_zone(self, device_id: str) -> str | None:
        """The device's time zone, or None (logged by kind, never by user) when it can't be had."""
        try:
            return self.time_zone(device_id)
        except AlexaApiError as exc:
            log.warning("time zone lookup failed: %s", exc.kind)
            return None

    # -- Reminders -------------------------------------------------------------------------

    def create_daily_reminder(
        self, *, hour: int, minute: int, zone: str, locale: str, text: str, now: datetime
    ) -> str:
        """A reminder every day at hour:minute local time; returns its alertToken."""
        local_now = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        first = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        body = {
            "requestTime": local_now.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "trigger": {
                "type": "SCHEDULED_ABSOLUTE",
                "scheduledTime": first.strftime("%Y-%m-%dT%H:%M:%S.000"),
                "timeZoneId": zone,
                "recurrence": {
                    "startDateTime": first.strftime("%Y-%m-%dT00:00:00.000"),
                    "recurrenceRules": [
                        f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};BYSECOND=0;INTERVAL=1;"
                    ],
                },
            },
            "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
            "pushNotification": {"status": "ENABLED"},
        }
        reply = self._call("POST", "/v1/alerts/reminders", body)
        data = self._json(reply)
        token = data.get("alertToken") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise AlexaApiError("bad_response", reply.status_code)
        return token

    def delete_reminder(self, alert_token: str) -> None:
        """Delete one of this skill's reminders (one already gone counts as deleted)."""
        try:
            self._call("DELETE", f"/v1/alerts/reminders/{alert_token}")
        except AlexaApiError as exc:
            if exc.kind != "not_found":
                raise

    # -- Progressive responses -------------------------------------------------------------

    def speak_now(self, request_id: str, ssml: str) -> None:
        """A progressive response: speech played while the skill keeps working."""
        self._call(
            "POST",
            "/v1/directives",
            {
                "header": {"requestId": request_id},
                "directive": {"type": "VoicePlayer.Speak", "speech": f"<speak>{ssml}</speak>"},
            },
        )
