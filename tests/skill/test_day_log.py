"""LogDayIntent: one slot at a time with Dialog.ElicitSlot, one log per local day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.alexa import Alexa, Turn
from tests.skill.helpers import Database

START = date(2026, 1, 5)
ASK_CONTACT = "Did you have any contact with your ex today?"
ASK_ACTIVITY = "What did you do for yourself today?"
ASK_CONFIDENCE = "On a scale of one to ten, how confident do you feel today?"
RETRY_CONFIDENCE = "Please give me a number from one to ten."
DIDNT_CATCH = "Sorry, I didn't catch that."


def _elicit_directive(turn: Turn) -> dict[str, object]:
    (directive,) = [d for d in turn.directives if d["type"] == "Dialog.ElicitSlot"]
    return directive


def _start_log(alexa: Alexa, days_in: int = 1) -> Turn:
    alexa.onboard()
    alexa.next_day(days_in)
    return alexa.intent("LogDayIntent")


def test_log_my_day_without_slots_asks_about_contact_first(alexa: Alexa) -> None:
    turn = _start_log(alexa)

    assert turn.elicited_slot == "contact"
    assert ASK_CONTACT in turn.speech
    assert "Say no contact, some contact, or necessary contact" in turn.reprompt
    assert not turn.ended
    directive = _elicit_directive(turn)
    intent = directive["updatedIntent"]
    assert isinstance(intent, dict)
    assert intent["name"] == "LogDayIntent"
    assert set(intent["slots"]) == {"contact", "activity", "confidence"}


def test_after_the_contact_the_log_asks_for_the_activity_then_the_confidence(
    alexa: Alexa, db: Database
) -> None:
    _start_log(alexa)

    activity = alexa.intent("LogDayIntent", contact="no contact")
    assert activity.elicited_slot == "activity"
    assert ASK_ACTIVITY in activity.speech
    assert ASK_ACTIVITY in activity.reprompt
    assert not activity.ended

    confidence = alexa.intent("LogDayIntent", activity="went for a run")
    assert confidence.elicited_slot == "confidence"
    assert ASK_CONFIDENCE in confidence.speech
    assert "from one to ten" in confidence.reprompt
    assert not confidence.ended
    assert db.days(alexa.user_id) == []

    done = alexa.intent("LogDayIntent", confidence="8")
    assert done.elicited_slot is None
    assert done.speech.startswith("Got it, today is logged.")
    assert "You're at 1 day without contact." in done.speech
    assert done.ended
    assert db.days(alexa.user_id) == [(START + timedelta(days=1), "NONE", "EXERCISE", 8)]


@pytest.mark.parametrize("said", ["0", "11", "?", "-3", "seven and a half", "lots"])
def test_a_confidence_outside_one_to_ten_or_not_a_number_is_asked_again(
    alexa: Alexa, db: Database, said: str
) -> None:
    _start_log(alexa)
    alexa.intent("LogDayIntent", contact="no contact")
    alexa.intent("LogDayIntent", activity="gym")

    turn = alexa.intent("LogDayIntent", confidence=said)

    assert turn.elicited_slot == "confidence"
    assert RETRY_CONFIDENCE in turn.speech
    assert turn.reprompt
    assert not turn.ended
    assert db.days(alexa.user_id) == []
    assert alexa.intent("LogDayIntent", confidence="10").ended
    assert db.days(alexa.user_id)[0][3] == 10


def test_an_out_of_range_confidence_given_with_everything_else_is_asked_again(
    alexa: Alexa, db: Database
) -> None:
    alexa.onboard()
    alexa.next_day()

    turn = alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="12")

    assert turn.elicited_slot == "confidence"
    assert RETRY_CONFIDENCE in turn.speech
    assert db.days(alexa.user_id) == []


def test_an_unknown_contact_answer_is_asked_again(alexa: Alexa) -> None:
    _start_log(alexa)

    turn = alexa.intent("LogDayIntent", contact="banana bread")

    assert turn.elicited_slot == "contact"
    assert DIDNT_CATCH in turn.speech
    assert not turn.ended


def test_an_unknown_activity_is_asked_again(alexa: Alexa) -> None:
    _start_log(alexa)
    alexa.intent("LogDayIntent", contact="no contact")

    turn = alexa.intent("LogDayIntent", activity="juggled flaming torches")

    assert turn.elicited_slot == "activity"
    assert DIDNT_CATCH in turn.speech
    assert not turn.ended


def test_the_resolved_slot_id_wins_over_the_spoken_words(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(5)

    turn = alexa.intent(
        "LogDayIntent",
        contact="we talked",  # a SOME synonym, but Alexa resolved it to NONE
        activity="gym",  # an EXERCISE synonym, but Alexa resolved it to HOBBY
        confidence="7",
        resolutions={"contact": ("NONE", "CONTACT_STATUS"), "activity": ("HOBBY", "ACTIVITY")},
    )

    assert "You had contact" not in turn.speech
    assert "You're at 5 days without contact." in turn.speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=5), "NONE", "HOBBY", 7)]


def test_an_unresolved_synonym_is_matched_against_the_interaction_model(
    alexa: Alexa, db: Database
) -> None:
    alexa.onboard()
    alexa.next_day(4)

    turn = alexa.intent(
        "LogDayIntent",
        contact="only about the kids",
        activity="went for a run",
        confidence="6",
        resolutions={"contact": None, "activity": None},
    )

    assert "Necessary contact doesn't break your streak." in turn.speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=4), "NECESSARY", "EXERCISE", 6)]


def test_a_bare_no_while_asking_about_contact_means_no_contact(alexa: Alexa, db: Database) -> None:
    _start_log(alexa, 3)

    turn = alexa.say_no()

    assert turn.elicited_slot == "activity"
    alexa.intent("LogDayIntent", activity="saw friends")
    alexa.intent("LogDayIntent", confidence="7")
    assert db.days(alexa.user_id) == [(START + timedelta(days=3), "NONE", "FRIENDS", 7)]


def test_a_bare_yes_while_asking_about_contact_means_some_contact(
    alexa: Alexa, db: Database
) -> None:
    _start_log(alexa, 3)

    turn = alexa.say_yes()

    assert turn.elicited_slot == "activity"
    alexa.intent("LogDayIntent", activity="nothing")
    done = alexa.intent("LogDayIntent", confidence="4")
    assert "You had contact today." in done.speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=3), "SOME", "NONE", 4)]


def test_a_bare_no_while_asking_about_the_activity_means_nothing(
    alexa: Alexa, db: Database
) -> None:
    _start_log(alexa)
    alexa.intent("LogDayIntent", contact="no contact")

    assert alexa.say_no().elicited_slot == "confidence"
    alexa.intent("LogDayIntent", confidence="5")
    assert db.days(alexa.user_id)[0][2] == "NONE"


def test_all_three_slots_at_once_log_the_day_immediately(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(2)

    turn = alexa.intent("LogDayIntent", contact="no contact", activity="yoga", confidence="8")

    assert turn.directives == []
    assert turn.speech == (
        "Got it, today is logged. You're at 2 days without contact. You've logged 1 day in a row."
    )
    assert turn.ended
    assert db.days(alexa.user_id) == [(START + timedelta(days=2), "NONE", "EXERCISE", 8)]


def test_alexa_echoing_the_elicited_slots_back_as_ids_still_logs_the_day(
    alexa: Alexa, db: Database
) -> None:
    """Real Alexa sends the updatedIntent's slot values back with the next answer."""
    _start_log(alexa)
    alexa.intent("LogDayIntent", contact="only logistics")
    alexa.intent(
        "LogDayIntent", contact="NECESSARY", activity="a makeover", dialog_state="IN_PROGRESS"
    )

    turn = alexa.intent(
        "LogDayIntent",
        contact="NECESSARY",
        activity="NEW_LOOK",
        confidence="9",
        dialog_state="IN_PROGRESS",
    )

    assert turn.ended
    assert db.days(alexa.user_id) == [(START + timedelta(days=1), "NECESSARY", "NEW_LOOK", 9)]


def test_logging_twice_the_same_day_updates_the_one_log(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.log_day("no contact", "gym", 5)

    turn = alexa.log_day("no contact", "saw friends", 9)

    assert turn.speech.startswith("Got it, I've updated today's log.")
    assert "You've logged 1 day in a row." in turn.speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=1), "NONE", "FRIENDS", 9)]
    alexa.next_day()
    assert "You've logged 2 days in a row." in alexa.log_day().speech


def test_the_log_streak_counts_consecutive_days_and_restarts_after_a_gap(alexa: Alexa) -> None:
    alexa.onboard()
    for n in (1, 2, 3):
        alexa.next_day()
        assert f"You've logged {n} day{'s' if n > 1 else ''} in a row." in alexa.log_day().speech

    alexa.next_day(2)

    assert "You've logged 1 day in a row." in alexa.log_day().speech


def test_a_log_with_some_contact_is_a_slip(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(5)

    turn = alexa.log_day("I texted them", "nothing", 3)

    assert "You had contact today." in turn.speech
    assert "your best streak of 5 days stays yours" in turn.speech
    assert "without contact." not in turn.speech
    streak = alexa.intent("StreakIntent")
    assert "Today is day zero without contact" in streak.speech
    assert "Your best streak is 5 days." in streak.speech
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["last_contact_on"] == (START + timedelta(days=5)).isoformat()


def test_relogging_a_slip_day_as_no_contact_takes_the_slip_back(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(9)  # confidence stage
    alexa.log_day("some contact", "gym", 6)
    assert "You're in the no contact stage" in alexa.intent("AMAZON.HelpIntent").speech
    alexa.end_session()

    asked = alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="6")
    assert "Earlier today you told me you had contact." in asked.speech
    assert not asked.ended
    turn = alexa.say_yes()

    assert "updated today's log" in turn.speech
    assert "You're at 9 days without contact." in turn.speech
    streak = alexa.intent("StreakIntent")
    assert "You're at 9 days without contact." in streak.speech
    assert "contact-free" not in streak.speech
    assert "You're in the confidence stage" in alexa.intent("AMAZON.HelpIntent").speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=9), "NONE", "EXERCISE", 6)]
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 0


def test_saying_no_to_replacing_a_slip_keeps_the_slip(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(9)
    alexa.intent("SlipIntent")
    alexa.end_session()

    alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="6")
    turn = alexa.say_no()

    assert "logged" in turn.speech
    assert "You're at 9 days without contact" not in turn.speech
    assert db.days(alexa.user_id) == [(START + timedelta(days=9), "SOME", "EXERCISE", 6)]
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 1


def test_necessary_contact_breaks_nothing(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(6)

    turn = alexa.log_day("only about the kids", "self care", 7)

    assert "Necessary contact doesn't break your streak." in turn.speech
    assert "You're at 6 days without contact." in turn.speech
    alexa.next_day()
    launch = alexa.launch()
    assert "7 days without contact! That's a milestone" in launch.speech
    assert db.stage(alexa.user_id) == "confidence"
    assert db.days(alexa.user_id)[0][1] == "NECESSARY"


def test_a_new_user_who_wants_to_log_is_asked_the_reflect_question_first(
    alexa: Alexa, db: Database
) -> None:
    turn = alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="8")

    assert "Did you feel safe and respected with them?" in turn.speech
    assert turn.elicited_slot is None
    assert not turn.ended
    assert db.count("day_logs") == 0


def test_a_bare_yes_while_asking_for_confidence_asks_for_a_number_again(
    alexa: Alexa, db: Database
) -> None:
    _start_log(alexa)
    alexa.intent("LogDayIntent", contact="no contact")
    alexa.intent("LogDayIntent", activity="gym")

    turn = alexa.say_yes()

    assert turn.elicited_slot == "confidence"
    assert RETRY_CONFIDENCE in turn.speech
    assert db.days(alexa.user_id) == []
