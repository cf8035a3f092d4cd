"""Onboarding: the reflect questions, then the greeting of a returning user."""

from __future__ import annotations

from datetime import date

import pytest

from tests.alexa import Alexa
from tests.skill.helpers import Database, log_every_day, spoken_tip

SAFE = "Did you feel safe and respected with them?"
WORTH = "Is this relationship worth pursuing?"
HOTLINE = "1-800-799-7233"
TODAY = date(2026, 1, 5)  # the driver's first day


def test_a_new_user_is_asked_whether_they_felt_safe_with_a_reprompt(alexa: Alexa) -> None:
    turn = alexa.launch()

    assert turn.speech.startswith("Welcome to Comeback Coach.")
    assert SAFE in turn.speech
    assert "not a substitute for professional help" in turn.speech
    assert SAFE in turn.reprompt
    assert not turn.ended


def test_yes_to_feeling_safe_asks_whether_the_relationship_is_worth_pursuing(
    alexa: Alexa,
) -> None:
    alexa.launch()
    turn = alexa.say_yes()

    assert WORTH in turn.speech
    assert WORTH in turn.reprompt
    assert not turn.ended


def test_yes_to_worth_pursuing_starts_no_contact_from_day_zero(alexa: Alexa, db: Database) -> None:
    alexa.launch()
    alexa.say_yes()
    turn = alexa.say_yes()

    assert "Step one is no contact" in turn.speech
    assert "Today is day zero" in turn.speech
    assert turn.speech.endswith("Would you like to log today?")
    assert not turn.ended
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["stage"] == "no_contact"
    assert user["started_on"] == TODAY.isoformat()

    alexa.next_day()
    assert "You're at 1 day without contact." in alexa.launch().speech


def test_no_to_worth_pursuing_starts_moving_on(alexa: Alexa, db: Database) -> None:
    alexa.launch()
    alexa.say_yes()
    turn = alexa.say_no()

    assert "Moving on is a success, not a failure" in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"
    assert "You're moving on" in alexa.intent("AMAZON.HelpIntent").speech


def test_no_to_feeling_safe_moves_on_with_the_domestic_abuse_hotline(
    alexa: Alexa, db: Database
) -> None:
    alexa.launch()
    turn = alexa.say_no()

    assert HOTLINE in turn.speech
    assert "I won't suggest contacting them" in turn.speech
    assert WORTH not in turn.speech
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["stage"] == "moving_on"
    assert user["unsafe"] == 1


def _onboard_unsafe_and_log_a_month(alexa: Alexa) -> None:
    alexa.launch()
    alexa.say_no()
    alexa.end_session()
    log_every_day(alexa, 31)


def test_after_feeling_unsafe_am_i_ready_never_suggests_contacting_them(
    alexa: Alexa, db: Database
) -> None:
    _onboard_unsafe_and_log_a_month(alexa)

    turn = alexa.intent("AmIReadyIntent")

    assert "back together" not in turn.speech
    assert "coffee" not in turn.speech
    assert "call" not in turn.speech.lower()
    assert HOTLINE in turn.speech
    assert "30 days without contact" in turn.speech
    assert turn.ended
    assert db.stage(alexa.user_id) == "moving_on"


def test_after_feeling_unsafe_meeting_my_ex_gets_no_meeting_advice(
    alexa: Alexa, db: Database
) -> None:
    _onboard_unsafe_and_log_a_month(alexa)

    turn = alexa.intent("MeetingIntent")

    assert "suggest not meeting them" in turn.speech
    assert HOTLINE in turn.speech
    assert "how to act at the meeting" not in turn.speech
    assert "coffee" not in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"


def test_after_feeling_unsafe_a_meeting_outcome_does_not_invite_a_meeting(
    alexa: Alexa, db: Database
) -> None:
    _onboard_unsafe_and_log_a_month(alexa)

    turn = alexa.intent("MeetingOutcomeIntent", outcome="it went well")

    assert "meeting my ex" not in turn.speech
    assert "meeting arranged" not in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"


def test_a_new_user_asking_for_their_streak_first_gets_the_reflect_question(
    alexa: Alexa,
) -> None:
    turn = alexa.intent("StreakIntent")

    assert SAFE in turn.speech
    assert "without contact" not in turn.speech
    assert SAFE in turn.reprompt
    assert not turn.ended
    assert WORTH in alexa.say_yes().speech


def test_a_user_who_left_before_answering_is_asked_again_on_the_next_launch(
    alexa: Alexa,
) -> None:
    alexa.launch()
    alexa.session_ended()

    turn = alexa.launch()

    assert "Before we start your plan" in turn.speech
    assert SAFE in turn.speech
    assert not turn.ended


def test_a_returning_user_hears_the_day_count_and_is_offered_to_log_today(
    alexa: Alexa,
) -> None:
    alexa.onboard()
    alexa.next_day(3)

    turn = alexa.launch()

    assert turn.speech == (
        "Welcome back. You're at 3 days without contact. Would you like to log today?"
    )
    assert turn.reprompt == "Would you like to log today?"
    assert not turn.ended


def test_yes_to_the_log_offer_starts_asking_for_the_day_log(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.launch()

    turn = alexa.say_yes()

    assert turn.elicited_slot == "contact"
    assert "Did you have any contact with your ex today?" in turn.speech
    assert turn.reprompt
    assert not turn.ended


def test_once_today_is_logged_the_launch_offers_todays_tip(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.log_day()

    turn = alexa.launch()

    assert "You're at 1 day without contact." in turn.speech
    assert turn.speech.endswith("Would you like today's tip?")
    assert turn.reprompt == "Would you like today's tip?"
    tip = alexa.say_yes()
    assert spoken_tip(tip, "no_contact")
    assert tip.ended


def test_no_to_an_offer_says_a_kind_goodbye(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.launch()

    turn = alexa.say_no()

    assert "I'm here whenever you need me" in turn.speech
    assert turn.ended
    assert db.days(alexa.user_id) == []


def test_navigate_home_greets_a_new_user_like_a_launch(alexa: Alexa) -> None:
    turn = alexa.intent("AMAZON.NavigateHomeIntent")

    assert turn.speech.startswith("Welcome to Comeback Coach.")
    assert SAFE in turn.reprompt
    assert not turn.ended


def test_navigate_home_greets_a_returning_user_like_a_launch(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(2)
    launch = alexa.launch()
    alexa.end_session()

    turn = alexa.intent("AMAZON.NavigateHomeIntent")

    assert turn.speech == launch.speech
    assert turn.reprompt == launch.reprompt
    assert alexa.say_yes().elicited_slot == "contact"


@pytest.mark.parametrize(
    "intent",
    [
        "StreakIntent",
        "ProgressIntent",
        "AmIReadyIntent",
        "SlipIntent",
        "MeetingIntent",
        "MeetingOutcomeIntent",
        "StartOverIntent",
        "LogDayIntent",
    ],
)
def test_a_new_user_is_asked_the_reflect_question_whatever_they_ask_first(
    alexa: Alexa, db: Database, intent: str
) -> None:
    turn = alexa.intent(intent)

    assert turn.speech.endswith(SAFE)
    assert SAFE in turn.reprompt
    assert not turn.ended
    assert db.stage(alexa.user_id) == "reflect"
    assert db.count("day_logs") == 0
    assert WORTH in alexa.say_yes().speech


def test_a_user_moving_on_is_not_invited_to_arrange_a_meeting(alexa: Alexa, db: Database) -> None:
    alexa.launch()
    alexa.say_yes()
    alexa.say_no()
    alexa.end_session()

    meeting = alexa.intent("MeetingIntent")
    outcome = alexa.intent("MeetingOutcomeIntent", outcome="it went well")

    for turn in (meeting, outcome):
        assert "meeting my ex" not in turn.speech
        assert "how to act at the meeting" not in turn.speech
        assert "You've chosen to move on" in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"
