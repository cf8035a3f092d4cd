"""Real and published Alexa request envelopes (../shared/fixtures/alexa/requests) through the
Lambda handler: a valid response envelope every time, words only where words belong."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import responses

from skill.i18n import Strings
from tests.alexa import plain
from tests.skill.helpers import Database, load_request, set_user

SILENT = [
    "alexa_skill_event_skill_disabled.json",
    "alexa_skill_event_skill_permission_accepted.json",
    "connections_response_buy.json",
    "session_ended_request_error.json",
    "system_exception_encountered.json",
]
FALLBACK = "Sorry, I didn't get that. You can say log my day"


def _expected(locale: str, key: str) -> set[str]:
    """A message (each of its variants) in the language we answer a `locale` request in."""
    raw = Strings(locale).raw(key)
    return {str(v).strip() for v in (raw if isinstance(raw, list) else [raw])}


@pytest.fixture(autouse=True)
def settings_api(http: responses.RequestsMock) -> None:
    """Recorded requests carry real API endpoints: answer the time-zone lookup locally."""
    http.get(re.compile(r"https://api(\.\w+)?\.amazonalexa\.com/v2/devices/.*"), json="UTC")


def _valid(result: dict[str, Any]) -> dict[str, Any]:
    assert result["version"] == "1.0"
    assert isinstance(result.get("response"), dict)
    text = json.dumps(result)
    assert "Traceback" not in text
    assert "Exception" not in text
    response: dict[str, Any] = result["response"]
    return response


def _speech(response: dict[str, Any]) -> str:
    return str((response.get("outputSpeech") or {}).get("ssml", ""))


@pytest.mark.parametrize("name", SILENT)
def test_events_and_session_ends_are_answered_without_speech(handler: Any, name: str) -> None:
    response = _valid(handler(load_request(name), None))

    assert "outputSpeech" not in response
    assert "reprompt" not in response


def test_the_simulator_launch_request_greets_a_new_user(handler: Any, db: Database) -> None:
    response = _valid(handler(load_request("launch_request_viewport_simulator.json"), None))

    assert "Did you feel safe and respected with them?" in _speech(response)
    assert response.get("shouldEndSession") is False
    assert "reprompt" in response
    assert db.count("users") == 1


def test_the_recorded_session_end_after_an_error_is_silent_for_a_known_user(
    handler: Any,
) -> None:
    handler(load_request("launch_request_viewport_simulator.json"), None)

    response = _valid(handler(load_request("session_ended_request_error.json"), None))

    assert "outputSpeech" not in response


def test_a_german_request_for_another_skills_intent_gets_the_english_fallback(
    handler: Any,
) -> None:
    event = load_request("intent_request_er_success_match.json")
    assert event["request"]["locale"] == "de-DE"

    response = _valid(handler(event, None))

    assert plain(_speech(response)) in _expected("de-DE", "fallback")
    if Strings("de-DE").locale == "en-US":  # German is not supported yet: English
        assert FALLBACK in _speech(response)
    assert response.get("shouldEndSession") is False
    assert "reprompt" in response


@pytest.mark.parametrize(
    "name", ["intent_request_er_success_no_match.json", "intent_request_dialog_started.json"]
)
def test_recorded_requests_for_unknown_intents_get_the_fallback(handler: Any, name: str) -> None:
    event = load_request(name)

    response = _valid(handler(event, None))

    assert plain(_speech(response)) in _expected(event["request"]["locale"], "fallback")
    assert response.get("shouldEndSession") is False


def test_the_recorded_stop_request_says_goodbye_in_english(handler: Any) -> None:
    event = load_request("intent_request_amazon_stop.json")
    event["request"]["locale"] = "en-US"

    response = _valid(handler(event, None))

    assert "Take care of yourself." in _speech(response)
    assert response.get("shouldEndSession") is True


def test_the_recorded_stop_request_in_british_english_is_still_answered(handler: Any) -> None:
    event = load_request("intent_request_amazon_stop.json")
    assert event["request"]["locale"] == "en-GB"

    response = _valid(handler(event, None))

    assert plain(_speech(response)) in _expected("en-GB", "goodbye")
    assert response.get("shouldEndSession") is True


def test_a_can_fulfill_request_gets_a_valid_envelope(handler: Any) -> None:
    response = _valid(handler(load_request("can_fulfill_intent_request.json"), None))

    assert "outputSpeech" not in response


def test_a_recorded_intent_swapped_to_ours_is_understood(handler: Any, db: Database) -> None:
    event = set_user(
        load_request("intent_request_er_success_match.json"), "amzn1.ask.account.RECORDED"
    )
    event["request"]["locale"] = "en-US"
    event["session"]["attributes"] = {}
    event["request"]["intent"] = {"name": "AMAZON.HelpIntent", "confirmationStatus": "NONE"}

    response = _valid(handler(event, None))

    assert "To set up your plan, I'll ask two questions." in _speech(response)
    assert db.count("users") == 1


def test_the_recorded_skill_disabled_event_for_a_stranger_deletes_nothing(
    handler: Any, db: Database
) -> None:
    handler(load_request("launch_request_viewport_simulator.json"), None)

    _valid(handler(load_request("alexa_skill_event_skill_disabled.json"), None))

    assert db.count("users") == 1


def test_a_recorded_session_end_creates_no_user(handler: Any, db: Database) -> None:
    _valid(handler(load_request("session_ended_request_error.json"), None))

    assert db.count("users") == 0
