"""Request envelopes: shaped like the Alexa service's, so the SDK reads them as real ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from coach_console import envelopes
from coach_console.envelopes import Caller, SessionState

from .conftest import SKILL_ID

NOW = datetime(2025, 3, 3, 9, 0, 5, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def caller() -> Caller:
    return Caller.named("alice", locale="en-GB", skill_id=SKILL_ID)


def read_with_the_sdk(event: dict[str, Any]) -> Any:
    return DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)


def test_a_launch_request_opens_a_new_session_for_the_user_and_device(caller: Caller) -> None:
    session = SessionState()
    event = envelopes.launch_request(caller, session, NOW)
    assert event["version"] == "1.0"
    assert event["session"]["new"] is True
    assert "attributes" not in event["session"]
    assert event["session"]["sessionId"].startswith("amzn1.echo-api.session.")
    assert event["session"]["application"]["applicationId"] == SKILL_ID
    assert event["session"]["user"]["userId"] == caller.user_id
    system = event["context"]["System"]
    assert system["user"]["userId"] == caller.user_id
    assert system["device"]["deviceId"] == caller.device_id
    assert system["application"]["applicationId"] == SKILL_ID
    assert event["request"]["type"] == "LaunchRequest"
    assert event["request"]["locale"] == "en-GB"
    assert event["request"]["requestId"].startswith("amzn1.echo-api.request.")


def test_the_console_sends_no_api_access_token(caller: Caller) -> None:
    event = envelopes.launch_request(caller, SessionState(), NOW)
    assert "apiAccessToken" not in json.dumps(event)
    assert "permissions" not in event["context"]["System"]["user"]


def test_timestamps_are_utc_with_a_z_to_the_second(caller: Caller) -> None:
    event = envelopes.launch_request(caller, SessionState(), NOW)
    assert event["request"]["timestamp"] == "2025-03-03T08:00:05Z"
    with pytest.raises(ValueError, match="aware"):
        envelopes.alexa_timestamp(datetime(2025, 3, 3, 9, 0))


def test_an_intent_request_carries_the_dialog_state_and_session_attributes(
    caller: Caller,
) -> None:
    session = SessionState(new=False, attributes={"eliciting": "contact"})
    intent = {"name": "LogDayIntent", "confirmationStatus": "NONE", "slots": {}}
    event = envelopes.intent_request(caller, session, NOW, intent, "IN_PROGRESS")
    assert event["session"]["new"] is False
    assert event["session"]["attributes"] == {"eliciting": "contact"}
    assert event["request"]["dialogState"] == "IN_PROGRESS"
    assert event["request"]["intent"] == intent
    parsed = read_with_the_sdk(event)
    assert parsed.request.intent.name == "LogDayIntent"
    assert parsed.request.dialog_state.value == "IN_PROGRESS"


def test_an_intent_request_without_a_dialog_omits_the_dialog_state(caller: Caller) -> None:
    intent = {"name": "StreakIntent", "confirmationStatus": "NONE", "slots": {}}
    event = envelopes.intent_request(caller, SessionState(), NOW, intent)
    assert "dialogState" not in event["request"]


def test_a_session_ended_request_says_why(caller: Caller) -> None:
    event = envelopes.session_ended_request(
        caller, SessionState(new=False), NOW, "EXCEEDED_MAX_REPROMPTS"
    )
    parsed = read_with_the_sdk(event)
    assert parsed.request.object_type == "SessionEndedRequest"
    assert parsed.request.reason.value == "EXCEEDED_MAX_REPROMPTS"


def test_every_envelope_is_read_by_the_sdk_as_a_request_envelope(caller: Caller) -> None:
    session = SessionState()
    intent = {"name": "AMAZON.HelpIntent", "confirmationStatus": "NONE", "slots": {}}
    for event in (
        envelopes.launch_request(caller, session, NOW),
        envelopes.intent_request(caller, session, NOW, intent, None),
        envelopes.session_ended_request(caller, session, NOW),
        envelopes.skill_disabled_event(caller, NOW),
    ):
        parsed = read_with_the_sdk(event)
        assert parsed.context.system.user.user_id == caller.user_id
        assert parsed.request.timestamp == datetime(2025, 3, 3, 8, 0, 5, tzinfo=UTC)


def test_a_skill_event_has_no_session(caller: Caller) -> None:
    event = envelopes.skill_disabled_event(caller, NOW)
    assert "session" not in event
    assert event["request"]["type"] == "AlexaSkillEvent.SkillDisabled"


def test_user_and_device_ids_are_stable_per_name_and_distinct_between_names() -> None:
    assert envelopes.user_id_for("alice") == envelopes.user_id_for("alice")
    assert envelopes.user_id_for("alice") != envelopes.user_id_for("bob")
    assert envelopes.user_id_for("alice").startswith("amzn1.ask.account.")
    assert envelopes.device_id_for("alice").startswith("amzn1.ask.device.")


def test_request_and_session_ids_are_fresh_each_time() -> None:
    assert envelopes.new_request_id() != envelopes.new_request_id()
    assert SessionState().session_id != SessionState().session_id
