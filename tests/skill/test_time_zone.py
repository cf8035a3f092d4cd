"""Today is the request's instant in the user's zone, from the (mocked) Alexa Settings API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
import responses

from tests.alexa import API_ENDPOINT, Alexa
from tests.skill.helpers import Database

TOKEN = "settings-api-token"
DEVICE = "amzn1.ask.device.TESTDEVICE"
ZONE_URL = f"{API_ENDPOINT}/v2/devices/{DEVICE}/settings/System.timeZone"
EARLY_UTC = datetime(2026, 3, 10, 6, 30, tzinfo=UTC)  # 2026-03-09 23:30 in Los Angeles


def _user(handler: Any, user_id: str = "amzn1.ask.account.ZONED") -> Alexa:
    return Alexa(handler, user_id=user_id, api_token=TOKEN)


def _zone_calls(http: responses.RequestsMock) -> int:
    return sum(1 for c in http.calls if "System.timeZone" in str(c.request.url))


def test_a_log_late_in_the_evening_in_los_angeles_counts_for_that_local_day(
    handler: Any, http: responses.RequestsMock, db: Database
) -> None:
    http.get(ZONE_URL, json="America/Los_Angeles")
    alexa = _user(handler)
    alexa.now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    alexa.onboard()
    alexa.now = EARLY_UTC

    turn = alexa.log_day()

    assert "You're at 8 days without contact." in turn.speech
    assert db.days(alexa.user_id)[0][0] == date(2026, 3, 9)
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["time_zone"] == "America/Los_Angeles"
    request = http.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    timeout = request.req_kwargs["timeout"]
    for part in timeout if isinstance(timeout, tuple) else (timeout,):
        assert 0 < part <= 1


def test_the_zone_is_asked_at_the_request_api_endpoint(
    handler: Any, http: responses.RequestsMock, db: Database
) -> None:
    europe = "https://api.eu.amazonalexa.com"
    http.get(f"{europe}/v2/devices/{DEVICE}/settings/System.timeZone", json="Europe/Berlin")
    alexa = _user(handler)
    alexa.now = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # 00:30 on the 6th in Berlin
    event = alexa.envelope({"type": "LaunchRequest"})
    event["context"]["System"]["apiEndpoint"] = europe

    alexa.send(event)

    assert _zone_calls(http) == 1
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["time_zone"] == "Europe/Berlin"


def test_the_zone_is_fetched_once_a_day_per_user(
    handler: Any, http: responses.RequestsMock
) -> None:
    http.get(ZONE_URL, json="America/Los_Angeles")
    alexa = _user(handler)
    alexa.onboard()
    alexa.launch()
    alexa.say_yes()
    alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="8")
    alexa.intent("StreakIntent")
    alexa.intent("DailyTipIntent")
    assert _zone_calls(http) == 1

    alexa.next_day()
    alexa.launch()
    alexa.intent("StreakIntent")
    assert _zone_calls(http) == 2

    other = _user(handler, "amzn1.ask.account.SOMEONE-ELSE")
    other.launch()
    assert _zone_calls(http) == 3


FAILURES: dict[str, dict[str, Any]] = {
    "server error": {"status": 500, "json": {"message": "boom"}},
    "timeout": {"body": requests.exceptions.ConnectTimeout()},
    "not json": {"body": "<html>not json</html>", "content_type": "text/html"},
    "unknown zone": {"json": "Mars/Olympus_Mons"},
    "not a string": {"json": {"zone": "America/Los_Angeles"}},
    "forbidden": {"status": 403, "json": {"message": "no"}},
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_without_any_known_zone_a_failed_lookup_means_utc(
    handler: Any, http: responses.RequestsMock, db: Database, failure: str
) -> None:
    http.get(ZONE_URL, **FAILURES[failure])
    alexa = _user(handler)
    alexa.now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    alexa.onboard()
    alexa.now = EARLY_UTC

    turn = alexa.log_day()

    assert "You're at 9 days without contact." in turn.speech
    assert db.days(alexa.user_id)[0][0] == date(2026, 3, 10)
    assert _zone_calls(http) >= 1


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_lookup_keeps_the_last_known_zone(
    handler: Any, http: responses.RequestsMock, db: Database, failure: str
) -> None:
    http.get(ZONE_URL, json="America/Los_Angeles")
    alexa = _user(handler)
    alexa.now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    alexa.onboard()
    http.replace(responses.GET, ZONE_URL, **FAILURES[failure])
    alexa.now = EARLY_UTC

    turn = alexa.log_day()

    assert _zone_calls(http) == 2
    assert "You're at 8 days without contact." in turn.speech
    assert db.days(alexa.user_id)[0][0] == date(2026, 3, 9)
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["time_zone"] == "America/Los_Angeles"


def test_a_change_of_zone_is_picked_up_the_next_day(
    handler: Any, http: responses.RequestsMock, db: Database
) -> None:
    http.get(ZONE_URL, json="America/Los_Angeles")
    alexa = _user(handler)
    alexa.now = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
    alexa.onboard()
    http.replace(responses.GET, ZONE_URL, json="Asia/Tokyo")
    alexa.now = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 01:00 on the 3rd in Tokyo

    alexa.log_day()

    assert db.days(alexa.user_id)[0][0] == date(2026, 3, 3)


def _every_evening(
    handler: Any,
    http: responses.RequestsMock,
    zone: str,
    first: date,
    days: int,
    at: tuple[int, int],
) -> tuple[Alexa, list[str]]:
    http.get(ZONE_URL, json=zone)
    alexa = _user(handler)
    local = ZoneInfo(zone)

    def moment(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, *at, tzinfo=local).astimezone(UTC)

    alexa.now = moment(first)
    alexa.onboard()
    speeches = []
    for i in range(1, days + 1):
        alexa.now = moment(first + timedelta(days=i))
        alexa.end_session()
        speeches.append(alexa.log_day().speech)
    return alexa, speeches


def test_evening_logs_in_new_york_stay_consecutive_across_the_spring_dst_change(
    handler: Any, http: responses.RequestsMock, db: Database
) -> None:
    first = date(2026, 3, 4)
    alexa, speeches = _every_evening(handler, http, "America/New_York", first, 8, (23, 30))

    for n, speech in enumerate(speeches, start=1):
        days = f"{n} day{'s' if n > 1 else ''}"
        assert (
            f"You're at {days} without contact." in speech or f"{days} without contact!" in speech
        )
        assert f"You've logged {days} in a row." in speech
    logged = [d for d, *_ in db.days(alexa.user_id)]
    assert logged == [first + timedelta(days=i) for i in range(1, 9)]
    assert date(2026, 3, 8) in logged


def test_after_midnight_logs_in_berlin_stay_consecutive_across_the_european_dst_change(
    handler: Any, http: responses.RequestsMock, db: Database
) -> None:
    first = date(2026, 3, 26)
    alexa, speeches = _every_evening(handler, http, "Europe/Berlin", first, 6, (0, 30))

    assert "You've logged 6 days in a row." in speeches[-1]
    assert "You're at 6 days without contact." in speeches[-1]
    logged = [d for d, *_ in db.days(alexa.user_id)]
    assert logged == [first + timedelta(days=i) for i in range(1, 7)]


def test_without_an_api_token_the_skill_uses_utc_and_asks_nothing(
    alexa: Alexa, http: responses.RequestsMock, db: Database
) -> None:
    alexa.now = EARLY_UTC
    alexa.onboard()
    alexa.log_day()

    assert len(http.calls) == 0
    assert db.days(alexa.user_id)[0][0] == date(2026, 3, 10)
