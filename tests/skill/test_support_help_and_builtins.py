"""Support, help per stage, and the built-ins: stop, cancel, fallback, yes/no, session end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.alexa import Alexa
from tests.skill.helpers import Database

CRISIS = "988"
FALLBACK = "Sorry, I didn't get that. You can say log my day"


def _new(alexa: Alexa) -> None:
    """A brand-new user: nothing said yet."""


def _mid_reflect(alexa: Alexa) -> None:
    alexa.launch()


def _no_contact(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(2)


def _mid_day_log(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.intent("LogDayIntent", contact="no contact")


def _moving_on(alexa: Alexa) -> None:
    alexa.launch()
    alexa.say_yes()
    alexa.say_no()


def _unsafe(alexa: Alexa) -> None:
    alexa.launch()
    alexa.say_no()


STAGES: dict[str, Callable[[Alexa], None]] = {
    "new": _new,
    "reflect": _mid_reflect,
    "no_contact": _no_contact,
    "mid_day_log": _mid_day_log,
    "moving_on": _moving_on,
    "unsafe": _unsafe,
}


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_support_gives_the_crisis_line_at_once_in_any_stage(
    alexa: Alexa, db: Database, stage: str
) -> None:
    STAGES[stage](alexa)
    before = (db.user(alexa.user_id), db.days(alexa.user_id)) if stage != "new" else None

    turn = alexa.intent("SupportIntent")

    assert CRISIS in turn.speech
    assert "Suicide and Crisis Lifeline" in turn.speech
    assert "911" in turn.speech
    assert "not a substitute for professional help" in turn.speech
    assert turn.envelope.get("sessionAttributes") in (None, {})
    assert turn.elicited_slot is None
    if before is not None:
        assert (db.user(alexa.user_id), db.days(alexa.user_id)) == before


def test_support_for_a_brand_new_user_creates_no_row(alexa: Alexa, db: Database) -> None:
    turn = alexa.intent("SupportIntent")

    assert CRISIS in turn.speech
    assert db.count("users") == 0
    assert db.count("day_logs") == 0


HELP = {
    "reflect": ("To set up your plan, I'll ask two questions.", _mid_reflect),
    "no_contact": ("You're in the no contact stage", _no_contact),
    "confidence": ("You're in the confidence stage", None),
    "moving_on": ("You're moving on, and that's a win.", _moving_on),
}


def test_help_depends_on_the_stage(handler: Any) -> None:
    heard = {}
    for stage, (expected, setup) in HELP.items():
        alexa = Alexa(handler, user_id=f"amzn1.ask.account.HELP-{stage}")
        if setup is not None:
            setup(alexa)
        else:
            alexa.onboard()
            alexa.next_day(8)
        turn = alexa.intent("AMAZON.HelpIntent")
        assert expected in turn.speech, stage
        assert turn.reprompt, stage
        assert not turn.ended, stage
        heard[stage] = turn.speech
    assert len(set(heard.values())) == len(HELP)


def test_help_for_a_new_user_leads_into_the_first_question(alexa: Alexa) -> None:
    turn = alexa.intent("AMAZON.HelpIntent")

    assert "not a substitute for professional help" in turn.speech
    assert turn.speech.endswith("Did you feel safe and respected with them?")
    assert "Is this relationship worth pursuing?" in alexa.say_yes().speech


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_say_a_short_goodbye_and_end_the_session(alexa: Alexa, intent: str) -> None:
    alexa.onboard()
    alexa.launch()

    turn = alexa.intent(intent)

    assert turn.speech == "Take care of yourself. Talk tomorrow."
    assert turn.ended
    assert turn.reprompt == ""


def test_cancel_in_the_middle_of_a_day_log_stops_it(alexa: Alexa, db: Database) -> None:
    _mid_day_log(alexa)

    turn = alexa.intent("AMAZON.CancelIntent")

    assert turn.ended
    assert db.days(alexa.user_id) == []


def test_fallback_offers_examples_and_keeps_listening(alexa: Alexa) -> None:
    alexa.onboard()

    turn = alexa.intent("AMAZON.FallbackIntent")

    assert turn.speech.startswith(FALLBACK)
    assert "what's my streak" in turn.speech
    assert turn.reprompt
    assert not turn.ended


def test_fallback_while_logging_asks_the_same_slot_again(alexa: Alexa) -> None:
    _mid_day_log(alexa)

    turn = alexa.intent("AMAZON.FallbackIntent")

    assert turn.elicited_slot == "activity"
    assert "Sorry, I didn't catch that." in turn.speech
    assert alexa.intent("LogDayIntent", activity="gym").elicited_slot == "confidence"


@pytest.mark.parametrize("answer", ["AMAZON.YesIntent", "AMAZON.NoIntent"])
def test_yes_or_no_out_of_context_says_so_and_keeps_listening(
    alexa: Alexa, db: Database, answer: str
) -> None:
    alexa.onboard()
    before = db.user(alexa.user_id)

    turn = alexa.intent(answer)

    assert "Sorry, I'm not sure what that's answering." in turn.speech
    assert turn.reprompt
    assert not turn.ended
    assert db.user(alexa.user_id) == before


def test_session_ended_returns_no_speech(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.launch()

    turn = alexa.session_ended("USER_INITIATED")

    assert turn.envelope["version"] == "1.0"
    assert "outputSpeech" not in turn.response
    assert "reprompt" not in turn.response


def test_session_ended_by_an_error_returns_no_speech(alexa: Alexa) -> None:
    alexa.launch()

    turn = alexa.session_ended("ERROR")

    assert "outputSpeech" not in turn.response


@pytest.mark.parametrize(
    ("intent", "slots"),
    [("SetReminderIntent", {"time": "21:00"}), ("CancelReminderIntent", {})],
)
def test_reminder_requests_are_answered_politely(
    alexa: Alexa, intent: str, slots: dict[str, str]
) -> None:
    """Reminders themselves are tested in test_reminders.py; here: an answer, never an error."""
    alexa.onboard()

    turn = alexa.intent(intent, **slots)

    assert "reminder" in turn.speech.lower()
    assert "Sorry, something went wrong" not in turn.speech
    assert turn.ended or turn.reprompt


def test_an_unknown_intent_gets_the_fallback_answer(alexa: Alexa) -> None:
    alexa.onboard()

    turn = alexa.intent("OrderPizzaIntent", topping="cheese")

    assert turn.speech.startswith(FALLBACK)
    assert turn.reprompt
    assert not turn.ended


def test_an_unknown_locale_is_answered_in_english(handler: Any) -> None:
    alexa = Alexa(handler, locale="xx-XX")

    launch = alexa.launch()
    worth = alexa.say_yes()
    started = alexa.say_yes()

    assert launch.speech.startswith("Welcome to Comeback Coach.")
    assert "Is this relationship worth pursuing?" in worth.speech
    assert "Today is day zero" in started.speech
    alexa.end_session()
    assert "Necessary contact" in alexa.log_day("only about work", "yoga", 7).speech
