"""Alexa's response limits, in every locale, for every intent, on a device with a screen.

Alexa refuses a response whose speech passes 8,000 characters or whose JSON passes 24 KB.
Each locale walks a whole journey on an APL device (whose RenderDocument directive is the
biggest part of a reply): onboarding, every slot elicited, thirty days of logs with their
milestones, reminders, readiness, the meeting, moving on, starting over and deletion.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.app import CoachSkill, build_skill
from skill.config import Settings
from skill.i18n import supported_locales
from tests.alexa import ROOT, Alexa
from tests.reliability.alexa_api import mocked_alexa_api
from tests.reliability.helpers import (
    MAX_RESPONSE_BYTES,
    MAX_SPEECH_CHARS,
    assert_valid_response,
    is_apology,
    speeches,
)
from tests.skill.helpers import PEPPER

ACTIVITIES = ("FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE")


def wire_size(envelope: dict[str, Any]) -> int:
    """Bytes on the wire the way Lambda's runtime and Flask encode it (non-ASCII escaped)."""
    return len(json.dumps(envelope).encode())


def model_intents(locale: str) -> set[str]:
    path = ROOT / "interaction_models" / f"{locale}.json"
    if not path.exists():
        path = ROOT / "interaction_models" / "en-US.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    return {intent["name"] for intent in model["interactionModel"]["languageModel"]["intents"]}


class Recorder:
    """Hands events to the skill and keeps every (event, answer) pair."""

    def __init__(self, skill: CoachSkill) -> None:
        self.skill = skill
        self.exchanges: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def __call__(self, event: dict[str, Any], _context: Any) -> dict[str, Any]:
        answer = self.skill.invoke(event)
        self.exchanges.append((event, answer))
        return answer

    def intents(self) -> set[str]:
        return {
            e["request"]["intent"]["name"]
            for e, _ in self.exchanges
            if e["request"]["type"] == "IntentRequest"
        }


def say(alexa: Alexa, intent: str, **slots: tuple[str, str] | str) -> None:
    """An intent with slots given as resolved ids (id, TYPE) or spoken words (str)."""
    spoken = {name: (v[0].lower() if isinstance(v, tuple) else v) for name, v in slots.items()}
    resolved = {name: v for name, v in slots.items() if isinstance(v, tuple)}
    alexa.intent(intent, resolutions=resolved or None, **spoken)


def log(alexa: Alexa, activity: str, confidence: int = 9, contact: str = "NONE") -> None:
    say(
        alexa,
        "LogDayIntent",
        contact=(contact, "CONTACT_STATUS"),
        activity=(activity, "ACTIVITY"),
        confidence=str(confidence),
    )
    alexa.end_session()


def walk_every_intent(alexa: Alexa) -> None:
    """A journey that asks for every reply the skill has, at every stage that changes it."""
    alexa.launch()
    say(alexa, "AMAZON.HelpIntent")
    say(alexa, "AmIReadyIntent")
    alexa.say_yes()
    alexa.say_yes()
    alexa.end_session()
    alexa.launch()
    alexa.say_no()
    say(alexa, "LogDayIntent")
    say(alexa, "LogDayIntent", contact=("NONE", "CONTACT_STATUS"))
    say(alexa, "LogDayIntent", activity=("EXERCISE", "ACTIVITY"))
    say(alexa, "LogDayIntent", confidence="15")
    say(alexa, "LogDayIntent", confidence="8")
    for intent in ("AmIReadyIntent", "ProgressIntent", "StreakIntent", "DailyTipIntent"):
        say(alexa, intent)
    say(alexa, "MeetingIntent")
    alexa.say_no()
    say(alexa, "MeetingOutcomeIntent", outcome=("AGAIN", "MEETING_OUTCOME"))
    say(alexa, "SlipIntent")
    say(alexa, "UrgeIntent")
    say(alexa, "ExReachedOutIntent")
    alexa.say_yes()  # replied
    alexa.say_no()  # not only practical: a slip
    for day in range(1, 31):
        alexa.next_day()
        if day == 4:
            alexa.launch()  # three days logged: the launch offers a daily reminder
            alexa.say_yes()
        log(alexa, ACTIVITIES[day % len(ACTIVITIES)], contact="NECESSARY" if day == 2 else "NONE")
    say(alexa, "SetReminderIntent")
    say(alexa, "SetReminderIntent", time="21:00")
    say(alexa, "CancelReminderIntent")
    for intent in ("StreakIntent", "ProgressIntent", "DailyTipIntent", "AMAZON.HelpIntent"):
        say(alexa, intent)
    alexa.launch()
    say(alexa, "AmIReadyIntent")
    alexa.say_yes()
    say(alexa, "MeetingIntent")
    say(alexa, "AMAZON.HelpIntent")
    say(alexa, "MeetingOutcomeIntent")
    say(alexa, "MeetingOutcomeIntent", outcome=("NO_SPARK", "MEETING_OUTCOME"))
    alexa.say_no()
    for intent in (
        "AMAZON.FallbackIntent",
        "AMAZON.NavigateHomeIntent",
        "NoSuchIntent",
        "SupportIntent",
        "AMAZON.StopIntent",
        "AMAZON.CancelIntent",
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
    ):
        say(alexa, intent)
    say(alexa, "UrgeIntent")
    say(alexa, "ExReachedOutIntent")
    say(alexa, "SafetyConcernIntent")
    say(alexa, "ProgressIntent")  # with the urges of the week
    say(alexa, "MovedOnIntent")
    alexa.say_yes()
    say(alexa, "AMAZON.HelpIntent")
    say(alexa, "StartOverIntent")
    alexa.say_yes()
    say(alexa, "DeleteDataIntent")
    alexa.say_yes()
    alexa.session_ended()
    alexa.send(alexa.envelope({"type": "AlexaSkillEvent.SkillDisabled"}, new=True))


@pytest.fixture(scope="module")
def shared_skill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoachSkill]:
    """One skill on one SQLite file for every locale (each locale has its own user)."""
    folder: Path = tmp_path_factory.mktemp("limits")
    skill = build_skill(
        Settings(
            database_url=f"sqlite:///{folder}/coach.db", data_dir=folder, user_id_pepper=PEPPER
        )
    )
    yield skill
    skill.close()


@pytest.mark.parametrize("locale", supported_locales())
def test_every_reply_in_every_locale_fits_alexas_speech_and_size_limits(
    shared_skill: CoachSkill, locale: str
) -> None:
    recorder = Recorder(shared_skill)
    alexa = Alexa(
        recorder,
        user_id=f"amzn1.ask.account.LIMITS-{locale}",
        locale=locale,
        device_id="amzn1.ask.device.BERLIN",
        api_token="limits-api-token",
        reminders_granted=True,
        apl=True,
    )

    with mocked_alexa_api():
        walk_every_intent(alexa)

    assert recorder.intents() >= model_intents(locale), "every intent of the model was asked"
    biggest = max(recorder.exchanges, key=lambda pair: wire_size(pair[1]))[1]
    assert any(
        d["type"] == "Alexa.Presentation.APL.RenderDocument"
        for d in biggest["response"].get("directives", [])
    ), "the biggest reply is one with the progress screen"
    for event, answer in recorder.exchanges:
        asked = event["request"].get("intent", {}).get("name") or event["request"]["type"]
        assert_valid_response(answer)
        assert not is_apology(answer), asked
        for speech in speeches(answer):
            assert len(speech["ssml"]) <= MAX_SPEECH_CHARS, asked
        assert wire_size(answer) <= MAX_RESPONSE_BYTES, (asked, wire_size(answer))
