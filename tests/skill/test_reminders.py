"""Daily reminders through the Alexa Reminders API, exercised against `responses`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from tests.alexa import API_ENDPOINT, Alexa, load_lambda_handler

REMINDERS = f"{API_ENDPOINT}/v1/alerts/reminders"
DIRECTIVES = f"{API_ENDPOINT}/v1/directives"
ZONE_URL = f"{API_ENDPOINT}/v2/devices/amzn1.ask.device.TESTDEVICE/settings/System.timeZone"


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(ZONE_URL, json="America/New_York")
        mock.post(DIRECTIVES, status=204)
        yield mock


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/coach.db")
    monkeypatch.setenv("USER_ID_PEPPER", "reminder-pepper")
    return load_lambda_handler().handler  # type: ignore[no-any-return]


@pytest.fixture
def alexa(handler: Callable[..., Any], api: responses.RequestsMock) -> Alexa:
    device = Alexa(handler, api_token="token-abc", reminders_granted=True)
    device.onboard()
    return device


def calls(api: responses.RequestsMock, method: str, url_start: str) -> list[Any]:
    return [
        c for c in api.calls if c.request.method == method and c.request.url.startswith(url_start)
    ]


def test_a_daily_reminder_is_created_at_the_local_time_in_the_users_zone_and_language(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.post(REMINDERS, json={"alertToken": "alert-1", "status": "ON"}, status=201)
    turn = alexa.intent("SetReminderIntent", time="21:00")
    assert "every day at 9:00 PM" in turn.speech
    assert turn.ended
    [post] = calls(api, "POST", REMINDERS)
    body = json.loads(post.request.body)
    assert post.request.headers["Authorization"] == "Bearer token-abc"
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/New_York"
    assert trigger["scheduledTime"].endswith("T21:00:00.000")
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"
    ]
    [content] = body["alertInfo"]["spokenInfo"]["content"]
    assert content["locale"] == "en-US"
    assert "log my day" in content["text"]
    assert body["pushNotification"] == {"status": "ENABLED"}
    [progressive] = calls(api, "POST", DIRECTIVES)
    directive = json.loads(progressive.request.body)
    assert directive["directive"]["type"] == "VoicePlayer.Speak"
    assert directive["header"]["requestId"].startswith("amzn1.echo-api.request.")


def test_asking_again_replaces_the_old_reminder(alexa: Alexa, api: responses.RequestsMock) -> None:
    api.post(REMINDERS, json={"alertToken": "alert-1"}, status=201)
    alexa.intent("SetReminderIntent", time="21:00")
    api.replace(responses.POST, REMINDERS, json={"alertToken": "alert-2"}, status=201)
    api.delete(f"{REMINDERS}/alert-1", status=200)
    turn = alexa.intent("SetReminderIntent", time="07:30")
    assert "now at 7:30 AM" in turn.speech
    assert len(calls(api, "DELETE", f"{REMINDERS}/alert-1")) == 1
    api.delete(f"{REMINDERS}/alert-2", status=200)
    assert "stopped" in alexa.intent("CancelReminderIntent").speech
    assert len(calls(api, "DELETE", f"{REMINDERS}/alert-2")) == 1
    assert "don't have a daily reminder" in alexa.intent("CancelReminderIntent").speech


def test_without_the_permission_the_skill_asks_for_it_by_voice_and_then_sets_the_reminder(
    handler: Callable[..., Any], api: responses.RequestsMock
) -> None:
    alexa = Alexa(handler, api_token="token-abc", reminders_granted=False)
    alexa.onboard()
    turn = alexa.intent("SetReminderIntent", time="21:15")
    [directive] = turn.directives
    assert directive["type"] == "Connections.SendRequest"
    assert directive["name"] == "AskFor"
    assert directive["payload"]["permissionScopes"] == [
        {"permissionScope": "alexa::alerts:reminders:skill:readwrite", "consentLevel": "ACCOUNT"}
    ]
    assert "outputSpeech" not in turn.response
    assert calls(api, "POST", REMINDERS) == []

    api.post(REMINDERS, json={"alertToken": "alert-9"}, status=201)
    alexa.reminders_granted = True
    done = alexa.connections_response("AskFor", "ACCEPTED", directive["token"])
    assert "every day at 9:15 PM" in done.speech
    assert len(calls(api, "POST", REMINDERS)) == 1


def test_a_denied_permission_says_how_to_allow_it_later(
    handler: Callable[..., Any], api: responses.RequestsMock
) -> None:
    alexa = Alexa(handler, api_token="token-abc")
    alexa.onboard()
    token = alexa.intent("SetReminderIntent", time="21:00").directives[0]["token"]
    turn = alexa.connections_response("AskFor", "DENIED", token)
    assert "Alexa app" in turn.speech
    assert calls(api, "POST", REMINDERS) == []


def test_a_403_from_the_reminders_api_asks_for_the_permission(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.post(REMINDERS, status=403, json={"code": "ACCESS_DENIED"})
    turn = alexa.intent("SetReminderIntent", time="21:00")
    assert turn.directives[0]["type"] == "Connections.SendRequest"


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500},
        {"status": 503},
        {"status": 429},
        {"status": 401},
        {"body": requests.exceptions.ReadTimeout()},
        {"body": requests.exceptions.ConnectionError()},
        {"status": 201, "body": "not json"},
        {"status": 201, "json": {"no": "token"}},
    ],
)
def test_every_reminders_failure_gets_a_spoken_answer_and_nothing_is_saved(
    alexa: Alexa, api: responses.RequestsMock, failure: dict[str, Any]
) -> None:
    api.post(REMINDERS, **failure)
    turn = alexa.intent("SetReminderIntent", time="21:00")
    if failure.get("status") == 401:
        assert turn.directives[0]["type"] == "Connections.SendRequest"
    else:
        assert "couldn't set your reminder" in turn.speech
    assert "don't have a daily reminder" in alexa.intent("CancelReminderIntent").speech


def test_a_failing_progressive_response_does_not_stop_the_reminder(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.replace(responses.POST, DIRECTIVES, status=500)
    api.post(REMINDERS, json={"alertToken": "alert-1"}, status=201)
    assert "every day at 9:00 PM" in alexa.intent("SetReminderIntent", time="21:00").speech


@pytest.mark.parametrize("value", [None, "EV", "MO", "25:00", "soon"])
def test_a_missing_or_vague_time_is_asked_for(alexa: Alexa, value: str | None) -> None:
    turn = alexa.intent("SetReminderIntent", time=value)
    assert turn.elicited_slot == "time"
    assert "What time" in turn.speech
    assert turn.reprompt and not turn.ended


def test_stopping_reminders_when_the_api_fails_keeps_the_reminder_on_record(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.post(REMINDERS, json={"alertToken": "alert-1"}, status=201)
    alexa.intent("SetReminderIntent", time="21:00")
    api.delete(f"{REMINDERS}/alert-1", status=500)
    assert "still on" in alexa.intent("CancelReminderIntent").speech
    api.replace(responses.DELETE, f"{REMINDERS}/alert-1", status=404)
    assert "stopped" in alexa.intent("CancelReminderIntent").speech


def test_the_launch_offers_a_reminder_once_after_three_logged_days(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    for _ in range(3):
        alexa.next_day()
        alexa.log_day()
    alexa.next_day()
    offer = alexa.launch()
    assert "daily reminder at 8:00 PM" in offer.speech
    assert not offer.ended
    declined = alexa.say_no()
    assert "no reminder" in declined.speech
    assert "log today" in declined.speech
    alexa.next_day()
    assert "reminder" not in alexa.launch().speech


def test_yes_to_the_launch_offer_sets_an_eight_pm_reminder(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.post(REMINDERS, json={"alertToken": "alert-1"}, status=201)
    for _ in range(3):
        alexa.next_day()
        alexa.log_day()
    alexa.next_day()
    alexa.launch()
    turn = alexa.say_yes()
    assert "every day at 8:00 PM" in turn.speech
    body = json.loads(calls(api, "POST", REMINDERS)[0].request.body)
    assert "BYHOUR=20" in body["trigger"]["recurrence"]["recurrenceRules"][0]


def test_without_an_alexa_api_token_the_skill_says_reminders_need_a_device(
    handler: Callable[..., Any],
) -> None:
    alexa = Alexa(handler)
    alexa.onboard()
    assert "Alexa device" in alexa.intent("SetReminderIntent", time="21:00").speech


def test_withdrawing_the_reminders_permission_forgets_the_reminder(
    alexa: Alexa, api: responses.RequestsMock
) -> None:
    api.post(REMINDERS, json={"alertToken": "alert-1"}, status=201)
    alexa.intent("SetReminderIntent", time="21:00")
    event = alexa.envelope(
        {
            "type": "AlexaSkillEvent.SkillPermissionChanged",
            "body": {"acceptedPermissions": [{"scope": "alexa::devices:all:notifications:write"}]},
        }
    )
    del event["session"]
    turn = alexa.send(event)
    assert "outputSpeech" not in turn.response
    assert "don't have a daily reminder" in alexa.intent("CancelReminderIntent").speech


@pytest.mark.parametrize(
    "event_type",
    [
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    ],
)
def test_other_skill_events_are_acknowledged_silently(
    handler: Callable[..., Any], event_type: str
) -> None:
    alexa = Alexa(handler)
    event = alexa.envelope({"type": event_type, "body": {}})
    del event["session"]
    turn = alexa.send(event)
    assert turn.envelope["version"] == "1.0"
    assert "outputSpeech" not in turn.response
