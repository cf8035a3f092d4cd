"""The Conversation: sessions, dialog, clock and replies, against a hand-written fake skill."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coach_console.session import (
    ConsoleClock,
    Conversation,
    SkillFailure,
    Turn,
    ZoneDirectory,
    ssml_to_text,
)

from .conftest import FakeSkill, reply

MakeConversation = Callable[..., tuple[Conversation, FakeSkill]]

ELICIT_ACTIVITY = {
    "type": "Dialog.ElicitSlot",
    "slotToElicit": "activity",
    "updatedIntent": {
        "name": "LogDayIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "contact": {"name": "contact", "value": "no", "confirmationStatus": "NONE"},
            "activity": {"name": "activity", "confirmationStatus": "NONE"},
            "confidence": {"name": "confidence", "confirmationStatus": "NONE"},
        },
    },
}


def test_session_attributes_are_carried_into_the_next_request(
    fake_conversation: MakeConversation,
) -> None:
    conversation, fake = fake_conversation(
        reply("Did you feel safe?", reprompt="Safe?", end=False, attributes={"step": 1}),
        reply("Worth pursuing?", reprompt="Worth it?", end=False, attributes={"step": 2}),
        reply("Okay.", end=True),
    )
    conversation.launch()
    conversation.say("yes")
    conversation.say("yes")
    first, second, third = fake.requests
    assert first["session"]["new"] is True
    assert second["session"]["new"] is False
    assert second["session"]["attributes"] == {"step": 1}
    assert third["session"]["attributes"] == {"step": 2}
    assert {r["session"]["sessionId"] for r in fake.requests} == {first["session"]["sessionId"]}


def test_an_elicited_slot_is_filled_by_the_next_utterance(
    fake_conversation: MakeConversation,
) -> None:
    conversation, fake = fake_conversation(
        reply("What did you do?", reprompt="What?", end=False, directives=[ELICIT_ACTIVITY]),
        reply("Logged.", end=True),
    )
    turn = conversation.launch()
    assert turn.elicited_slot == "activity"
    assert conversation.pending is not None
    conversation.say("the gym")
    request = fake.requests[-1]["request"]
    assert request["dialogState"] == "IN_PROGRESS"
    slots = request["intent"]["slots"]
    assert slots["contact"]["value"] == "no"
    assert slots["activity"]["value"] == "the gym"
    status = slots["activity"]["resolutions"]["resolutionsPerAuthority"][0]["status"]
    assert status == {"code": "ER_SUCCESS_MATCH"}
    assert conversation.pending is None


def test_a_session_the_skill_ends_is_not_continued(fake_conversation: MakeConversation) -> None:
    conversation, fake = fake_conversation(
        reply("Bye.", end=True), reply("You're on day 3.", end=True)
    )
    assert conversation.say("stop").ended
    assert not conversation.in_session
    conversation.say("what's my streak")
    first, second = fake.requests
    assert second["session"]["new"] is True
    assert second["session"]["sessionId"] != first["session"]["sessionId"]
    assert second["request"]["intent"]["name"] == "StreakIntent"


def test_a_reply_without_should_end_session_or_reprompt_ends_the_session(
    fake_conversation: MakeConversation,
) -> None:
    conversation, _ = fake_conversation(reply("Here's a tip."))
    assert conversation.say("what's my streak").ended


def test_saying_open_the_skill_sends_a_launch_request(fake_conversation: MakeConversation) -> None:
    conversation, fake = fake_conversation(reply("Welcome.", reprompt="Well?", end=False))
    turn = conversation.say("Alexa, open Comeback Coach")
    assert fake.requests[0]["request"]["type"] == "LaunchRequest"
    assert turn.heard == "<launch>"


def test_a_one_shot_request_ends_the_open_session_and_starts_a_new_one(
    fake_conversation: MakeConversation,
) -> None:
    conversation, fake = fake_conversation(
        reply("Welcome.", reprompt="Well?", end=False), reply("Day 3.", end=True)
    )
    conversation.launch()
    conversation.say("ask comeback coach what's my streak")
    kinds = [r["request"]["type"] for r in fake.requests]
    assert kinds == ["LaunchRequest", "SessionEndedRequest", "IntentRequest"]
    assert fake.requests[2]["session"]["new"] is True


def test_the_next_day_lets_the_session_time_out_and_moves_the_clock(
    fake_conversation: MakeConversation,
) -> None:
    conversation, fake = fake_conversation(
        reply("Welcome.", reprompt="Well?", end=False), reply("Day 1.", end=True)
    )
    conversation.launch()
    conversation.next_day()
    conversation.say("what's my streak")
    ended = fake.requests[1]["request"]
    assert ended["type"] == "SessionEndedRequest"
    assert ended["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert fake.requests[0]["request"]["timestamp"] == "2025-03-03T08:00:00Z"
    assert fake.requests[2]["request"]["timestamp"].startswith("2025-03-04T08:00")


def test_silence_repeats_the_reprompt_once_then_ends_the_session(
    fake_conversation: MakeConversation,
) -> None:
    conversation, fake = fake_conversation(reply("Safe?", reprompt="Were you safe?", end=False))
    conversation.launch()
    first = conversation.silence()
    assert first is not None
    assert first.speech_text == "Were you safe?"
    assert len(fake.requests) == 1
    second = conversation.silence()
    assert second is not None and second.ended
    assert fake.requests[-1]["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert conversation.silence() is None


def test_disabling_the_skill_sends_the_skill_event(fake_conversation: MakeConversation) -> None:
    conversation, fake = fake_conversation()
    conversation.disable_skill()
    assert fake.requests[-1]["request"]["type"] == "AlexaSkillEvent.SkillDisabled"


def test_a_skill_that_raises_is_reported_and_the_session_dropped(
    fake_conversation: MakeConversation,
) -> None:
    class Broken(FakeSkill):
        def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
            raise RuntimeError("boom")

    conversation, _ = fake_conversation()
    conversation.skill = Broken()
    with pytest.raises(SkillFailure, match="RuntimeError: boom") as caught:
        conversation.launch()
    assert caught.value.request["request"]["type"] == "LaunchRequest"
    assert not conversation.in_session


def test_a_reply_is_read_into_plain_speech_reprompt_card_and_sounds() -> None:
    raw = reply(
        'Seven days! <audio src="soundbank://soundlibrary/ui/positive_01"/> Well done &amp; '
        'keep <break time="300ms"/>going.',
        reprompt="Anything <emphasis>else</emphasis>?",
        end=False,
        card={"type": "Simple", "title": "Day 7", "content": "Seven days without contact."},
    )
    turn = Turn.from_response(raw, request={})
    assert turn.speech_text == "Seven days! Well done & keep going."
    assert turn.sounds == ("soundbank://soundlibrary/ui/positive_01",)
    assert turn.reprompt_text == "Anything else?"
    assert turn.card is not None
    assert (turn.card.title, turn.card.text) == ("Day 7", "Seven days without contact.")
    assert not turn.ended


def test_standard_and_permission_cards_are_read_too() -> None:
    standard = reply("Hi.", card={"type": "Standard", "title": "T", "text": "Body"})
    assert Turn.from_response(standard, request={}).card.text == "Body"  # type: ignore[union-attr]
    consent = reply(
        "I need permission.",
        card={
            "type": "AskForPermissionsConsent",
            "permissions": ["alexa::alerts:reminders:skill:readwrite"],
        },
    )
    card = Turn.from_response(consent, request={}).card
    assert card is not None
    assert card.type == "AskForPermissionsConsent"
    assert "reminders" in card.text


@pytest.mark.parametrize(
    ("ssml", "text"),
    [
        ("<speak>Hello <sub alias='World Wide Web'>WWW</sub>.</speak>", "Hello World Wide Web."),
        ("<speak><p>One.</p><p>Two.</p></speak>", "One. Two."),
        ("Plain text , no speak tag", "Plain text, no speak tag"),
        ("<speak>Broken <b>markup</speak>", "Broken markup"),
        ('<speak><say-as interpret-as="cardinal">12</say-as> days</speak>', "12 days"),
    ],
)
def test_ssml_is_read_as_the_words_a_person_hears(ssml: str, text: str) -> None:
    assert ssml_to_text(ssml)[0] == text


def test_a_fixed_clock_ticks_a_few_seconds_per_request_and_keeps_the_time_of_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    clock = ConsoleClock(datetime(2025, 3, 29, 22, 0, tzinfo=paris))
    assert clock.stamp() == datetime(2025, 3, 29, 22, 0, tzinfo=paris)
    assert clock.stamp() == datetime(2025, 3, 29, 22, 0, 5, tzinfo=paris)
    clock.next_day()  # across the change to summer time
    assert clock.local().replace(tzinfo=None) == datetime(2025, 3, 30, 22, 0, 10)
    clock.set_date(date(2025, 4, 1))
    clock.set_time(time(7, 30))
    assert clock.local().replace(tzinfo=None) == datetime(2025, 4, 1, 7, 30)


def test_a_live_clock_follows_the_real_time_shifted_by_the_days_skipped() -> None:
    clock = ConsoleClock(tz=ZoneInfo("UTC"))
    assert clock.live
    clock.next_day(2)
    ahead = clock.local() - datetime.now(ZoneInfo("UTC"))
    assert timedelta(days=2) - timedelta(minutes=1) < ahead <= timedelta(days=2)


def test_the_zone_directory_answers_each_users_zone_and_a_default() -> None:
    zones = ZoneDirectory(default="UTC")
    zones.register("amzn1.ask.account.A", "Asia/Tokyo")
    event = {"context": {"System": {"user": {"userId": "amzn1.ask.account.A"}}}}
    assert zones(event) == "Asia/Tokyo"
    assert zones({"session": {"user": {"userId": "other"}}}) == "UTC"


def test_a_conversation_registers_its_users_zone(
    fake_conversation: MakeConversation,
) -> None:
    zones = ZoneDirectory()
    conversation, _ = fake_conversation()
    again = Conversation.start(
        conversation.skill,
        user="tokyo",
        clock=ConsoleClock(datetime(2025, 1, 1, tzinfo=ZoneInfo("Asia/Tokyo"))),
        zones=zones,
        model=conversation.resolver.model,
    )
    event = {"context": {"System": {"user": {"userId": again.caller.user_id}}}}
    assert zones(event) == "Asia/Tokyo"
