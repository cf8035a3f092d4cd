"""Alexa's APIs are called only at Amazon's API hosts, and a bad zone name is no zone.

A request names its `apiEndpoint`; the skill sends the request's bearer token there only when
it is one of Amazon's three API hosts (or, for tests, one of ALEXA_API_ENDPOINTS), whatever
ALEXA_VERIFY says. Any other endpoint gets no call: the zone is the last known, else UTC. A
zone name from the Settings API that is unknown, overlong or path-like is ignored like a
failed lookup.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import responses

from skill.web import create_app
from tests.alexa import Alexa
from tests.reliability.alexa_api import loopback_alexa_api
from tests.reliability.helpers import assert_valid_response, capture_logs, is_apology, said
from tests.skill.helpers import PEPPER, Database

TOKEN = "api-token-that-must-stay-with-amazon"
DEVICE = "amzn1.ask.device.TESTDEVICE"
AMAZON_HOSTS = (
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
)
FOREIGN = (
    "https://attacker.example",
    "http://api.amazonalexa.com",
    "https://api.amazonalexa.com.attacker.example",
    "https://api.amazonalexa.com@attacker.example",
    "https://api.amazonalexa.com:8443",
    "https://api.amazonalexa.com/../elsewhere",
    "http://127.0.0.1:9",
)
# 20:00 UTC on the 6th is 05:00 on the 7th in Tokyo: the day row shows which zone was used.
EVENING_UTC = datetime(2026, 1, 6, 20, 0, tzinfo=UTC)
UTC_DAY, TOKYO_DAY = date(2026, 1, 6), date(2026, 1, 7)


class Calls:
    """Every HTTP request the skill makes, wherever it goes; the zone API answers `zone`."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.zone: Any = "Asia/Tokyo"
        self.urls: list[str] = []
        for method in ("GET", "POST", "DELETE"):
            mock.add_callback(method, re.compile(r".*"), callback=self._answer)

    def _answer(self, request: Any) -> tuple[int, dict[str, str], str]:
        self.urls.append(str(request.url))
        if str(request.url).endswith("System.timeZone"):
            return 200, {"Content-Type": "application/json"}, json.dumps(self.zone)
        return 201, {"Content-Type": "application/json"}, json.dumps({"alertToken": "t-1"})


@pytest.fixture
def calls() -> Iterator[Calls]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Calls(mock)


@pytest.fixture
def db(sqlite_url: str) -> Database:
    return Database(Path(sqlite_url.removeprefix("sqlite:///")))


@pytest.fixture
def lambda_handler(sqlite_url: str, lambda_on: Callable[[str], Any]) -> Any:
    return lambda_on(sqlite_url).handler


class Device(Alexa):
    """A user whose requests name `endpoint` as their apiEndpoint."""

    def __init__(
        self, handler: Any, endpoint: str, *, device_id: str = DEVICE, **kwargs: Any
    ) -> None:
        super().__init__(handler, api_token=TOKEN, device_id=device_id, **kwargs)
        self.endpoint = endpoint

    def envelope(self, request: dict[str, Any], *, new: bool | None = None) -> dict[str, Any]:
        event = super().envelope(request, new=new)
        event["context"]["System"]["apiEndpoint"] = self.endpoint
        return event


@pytest.mark.parametrize("host", AMAZON_HOSTS)
def test_each_of_amazons_api_hosts_is_asked_for_the_zone(
    lambda_handler: Any, calls: Calls, db: Database, host: str
) -> None:
    alexa = Device(lambda_handler, host, now=EVENING_UTC)
    alexa.onboard()
    alexa.log_day()
    assert calls.urls and all(url.startswith(f"{host}/") for url in calls.urls)
    assert db.days(alexa.user_id)[0][0] == TOKYO_DAY


@pytest.mark.parametrize("endpoint", FOREIGN)
def test_any_other_api_endpoint_gets_no_call_and_a_new_user_counts_days_in_utc(
    lambda_handler: Any, calls: Calls, db: Database, endpoint: str
) -> None:
    alexa = Device(lambda_handler, endpoint, now=EVENING_UTC)
    with capture_logs(logging.WARNING) as logs:
        alexa.onboard()
        turn = alexa.log_day()
    assert calls.urls == []
    assert not is_apology(turn.envelope)
    assert db.days(alexa.user_id)[0][0] == UTC_DAY
    assert "not one of Alexa's API hosts" in logs.text()
    assert endpoint not in logs.text() and TOKEN not in logs.text()


def test_another_api_endpoint_keeps_the_last_known_zone(
    lambda_handler: Any, calls: Calls, db: Database
) -> None:
    alexa = Device(lambda_handler, AMAZON_HOSTS[0], now=datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    alexa.onboard()
    assert len(calls.urls) == 1  # the zone, Tokyo, learnt at Amazon's host

    alexa.endpoint = "https://attacker.example"
    alexa.now = EVENING_UTC  # the next day: the zone would be refreshed, but not from there
    alexa.log_day()

    assert len(calls.urls) == 1
    assert db.days(alexa.user_id)[0][0] == TOKYO_DAY


def test_a_reminder_is_never_set_through_another_api_endpoint(
    lambda_handler: Any, calls: Calls
) -> None:
    alexa = Device(lambda_handler, "https://attacker.example", reminders_granted=True)
    alexa.onboard()
    turn = alexa.intent("SetReminderIntent", time="21:00")
    assert calls.urls == []
    assert_valid_response(turn.envelope)
    assert not is_apology(turn.envelope)


def test_with_verification_off_the_web_app_calls_no_other_api_endpoint(
    tmp_path: Path, calls: Calls
) -> None:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
            "COACH_DATA_DIR": str(tmp_path),
            "USER_ID_PEPPER": PEPPER,
            "ALEXA_VERIFY": "0",
        }
    )
    client = app.test_client()

    def send(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        answer = client.post("/", json=event)
        assert answer.status_code == 200
        return dict(answer.get_json())

    alexa = Device(send, "https://attacker.example", now=EVENING_UTC)
    alexa.onboard()
    alexa.log_day()
    assert calls.urls == []


def test_alexa_api_endpoints_replaces_the_list(
    sqlite_url: str,
    lambda_on: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
    db: Database,
) -> None:
    with loopback_alexa_api() as local:
        monkeypatch.setenv("ALEXA_API_ENDPOINTS", f" {local}/ , https://other.example")
        handler = lambda_on(sqlite_url).handler
        here = Device(handler, local, now=EVENING_UTC, device_id="amzn1.ask.device.TOKYO")
        here.onboard()
        here.log_day()
        amazon = Device(handler, AMAZON_HOSTS[0], now=EVENING_UTC, user_id="amzn1.ask.account.B")
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            Calls(mock)
            amazon.onboard()
            amazon.log_day()
            assert [
                c.request.url for c in mock.calls
            ] == []  # Amazon's own host is not on the replaced list
    assert db.days(here.user_id)[0][0] == TOKYO_DAY
    assert db.days(amazon.user_id)[0][0] == UTC_DAY


# --- zone names from the Settings API ----------------------------------------------------


@pytest.mark.parametrize(
    "zone",
    [
        "A" * 1000,
        "Europe/" + "x" * 1000,
        "Not/AZone",
        "../../../../etc/passwd",
        "Europe/../../../etc/passwd",
        "/etc/localtime",
        "Europe/Berlin\x00",
        "",
        "Europe\\Berlin",
    ],
    ids=[
        "1000-chars",
        "long-path",
        "unknown",
        "dotdot",
        "inner-dotdot",
        "absolute",
        "nul",
        "empty",
        "backslash",
    ],
)
def test_a_bad_zone_name_from_the_settings_api_is_ignored_like_a_failed_lookup(
    lambda_handler: Any, calls: Calls, db: Database, zone: str
) -> None:
    calls.zone = zone
    alexa = Device(lambda_handler, AMAZON_HOSTS[0], now=EVENING_UTC)
    with capture_logs(logging.WARNING) as logs:
        alexa.onboard()
        turn = alexa.log_day()
        streak = alexa.intent("StreakIntent")
    for answer in (turn, streak):
        assert_valid_response(answer.envelope)
        assert not is_apology(answer.envelope), said(answer.envelope)
    assert db.days(alexa.user_id)[0][0] == UTC_DAY
    user = db.user(alexa.user_id)
    assert user is not None and user["time_zone"] in (None, "UTC")
    assert "time zone lookup failed: bad_response" in logs.text()
    assert "OSError" not in logs.text()
