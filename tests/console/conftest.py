"""Fixtures for the console: a small interaction model, a resolver, fakes and the real skill."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from coach_console.model import InteractionModel
from coach_console.nlu import Resolver
from coach_console.session import ConsoleClock, Conversation, Skill, ZoneDirectory
from skill.config import Settings

SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
REPO = Path(__file__).resolve().parents[2]

SMALL_MODEL: dict[str, Any] = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "comeback coach",
            "intents": [
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.CancelIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
                {"name": "AMAZON.YesIntent", "samples": []},
                {"name": "AMAZON.NoIntent", "samples": []},
                {
                    "name": "LogDayIntent",
                    "slots": [
                        {"name": "contact", "type": "CONTACT_STATUS", "samples": ["{contact}"]},
                        {
                            "name": "activity",
                            "type": "ACTIVITY",
                            "samples": ["{activity}", "I went to {activity}"],
                        },
                        {
                            "name": "confidence",
                            "type": "AMAZON.NUMBER",
                            "samples": ["{confidence}", "I feel {confidence}"],
                        },
                    ],
                    "samples": [
                        "log my day",
                        "log today",
                        "{contact} today I went to the {activity} I feel {confidence}",
                        "my confidence is {confidence}",
                    ],
                },
                {
                    "name": "StreakIntent",
                    "samples": ["what's my streak", "how many days"],
                },
                {"name": "SlipIntent", "samples": ["I texted my ex", "we met up"]},
                {
                    "name": "SetReminderIntent",
                    "slots": [{"name": "time", "type": "AMAZON.TIME"}],
                    "samples": ["remind me at {time}", "remind me to log my day at {time}"],
                },
            ],
            "types": [
                {
                    "name": "CONTACT_STATUS",
                    "values": [
                        {"id": "NONE", "name": {"value": "no contact", "synonyms": ["no"]}},
                        {"id": "SOME", "name": {"value": "some contact", "synonyms": ["yes"]}},
                        {
                            "id": "NECESSARY",
                            "name": {"value": "necessary", "synonyms": ["only about the kids"]},
                        },
                    ],
                },
                {
                    "name": "ACTIVITY",
                    "values": [
                        {"id": "EXERCISE", "name": {"value": "exercise", "synonyms": ["gym"]}},
                        {"id": "FRIENDS", "name": {"value": "friends", "synonyms": []}},
                        {"id": "NONE", "name": {"value": "nothing", "synonyms": ["none"]}},
                    ],
                },
            ],
        },
        "dialog": {
            "intents": [
                {
                    "name": "LogDayIntent",
                    "slots": [
                        {"name": "contact", "type": "CONTACT_STATUS"},
                        {"name": "activity", "type": "ACTIVITY"},
                        {"name": "confidence", "type": "AMAZON.NUMBER"},
                    ],
                }
            ]
        },
    }
}


@pytest.fixture
def small_model() -> InteractionModel:
    """The small model above, read as the console reads a model file."""
    return InteractionModel.from_dict(SMALL_MODEL, "en-US")


@pytest.fixture
def resolver(small_model: InteractionModel) -> Resolver:
    """A resolver over the small model."""
    return Resolver(small_model, skill_id=SKILL_ID)


class FakeSkill:
    """A skill that replays canned responses and records every request it was sent."""

    def __init__(self, *responses: dict[str, Any]) -> None:
        self.responses = list(responses)
        self.requests: list[dict[str, Any]] = []

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(event)
        if event["request"]["type"] == "SessionEndedRequest" or not self.responses:
            return {"version": "1.0", "response": {}}
        return self.responses.pop(0)


def reply(
    ssml: str,
    *,
    reprompt: str | None = None,
    end: bool | None = None,
    attributes: dict[str, Any] | None = None,
    directives: list[dict[str, Any]] | None = None,
    card: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A response envelope as the skill writes one."""
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{ssml}</speak>"}}
    if reprompt is not None:
        response["reprompt"] = {
            "outputSpeech": {"type": "SSML", "ssml": f"<speak>{reprompt}</speak>"}
        }
    if end is not None:
        response["shouldEndSession"] = end
    if directives:
        response["directives"] = directives
    if card:
        response["card"] = card
    envelope: dict[str, Any] = {"version": "1.0", "response": response}
    if attributes is not None:
        envelope["sessionAttributes"] = attributes
    return envelope


@pytest.fixture
def fake_conversation(resolver: Resolver) -> Callable[..., tuple[Conversation, FakeSkill]]:
    """A conversation with a fake skill, on 3 March 2025 at 09:00 in Paris."""

    def make(*responses: dict[str, Any]) -> tuple[Conversation, FakeSkill]:
        fake = FakeSkill(*responses)
        clock = ConsoleClock(datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Europe/Paris")))
        conversation = Conversation.start(
            fake, user="tester", clock=clock, skill_id=SKILL_ID, model=resolver.model
        )
        return conversation, fake

    return make


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh embedded database in the test's folder."""
    return Settings.from_env({"COACH_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def coach(settings: Settings) -> Iterator[tuple[Skill, ZoneDirectory]]:
    """The real skill on a fresh database, with the console's zone directory."""
    from skill.app import build_skill

    zones = ZoneDirectory()
    built = build_skill(settings, zone_lookup=zones)
    try:
        yield built, zones
    finally:
        built.close()


@pytest.fixture
def talk(coach: tuple[Skill, ZoneDirectory]) -> Callable[..., Conversation]:
    """A conversation with the real skill for a user, from a local date and time, in a locale."""
    skill, zones = coach

    def make(
        user: str = "tester",
        start: str = "2025-03-03T09:00",
        tz: str = "Europe/Paris",
        locale: str = "en-US",
    ) -> Conversation:
        clock = ConsoleClock(datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(tz)))
        return Conversation.start(skill, locale=locale, user=user, clock=clock, zones=zones)

    return make
