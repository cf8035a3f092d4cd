"""The journey's second half through the Lambda handler: from "ready" to the call, the
meeting, and then rebuilding, or moving on (PRODUCT §2 "What counts as contact")."""

from __future__ import annotations

import re

from tests.alexa import Alexa, Turn
from tests.skill.helpers import SOUND, Database, reach_ready_stage

NO_CONTACT_FIGURES = re.compile(r"without contact|contact-free|best streak|milestone", re.I)


def _call_and_meet(alexa: Alexa) -> None:
    """Ready on day 30; the call on day 32 (they agree); the meeting told on day 34."""
    alexa.next_day(2)
    asked = alexa.intent("SlipIntent")
    assert "You called them, just as we planned." in asked.speech
    assert asked.speech.endswith("Did they agree to meet for a coffee?")
    agreed = alexa.say_yes()
    assert "Here's how to act at the meeting." in agreed.speech
    alexa.end_session()


def _no_contact_talk(turn: Turn) -> bool:
    return bool(NO_CONTACT_FIGURES.search(turn.speech)) or SOUND in turn.ssml


def test_the_advised_call_resets_nothing_and_they_agree_to_meet(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    _call_and_meet(alexa)

    assert db.stage(alexa.user_id) == "meeting"
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 0
    assert user["last_contact_on"] is None


def test_a_no_to_the_call_is_not_chased_and_the_stage_stays_ready(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)
    alexa.next_day(2)
    alexa.intent("SlipIntent")

    turn = alexa.say_no()

    assert "don't chase them" in turn.speech
    assert "a no is an answer too" in turn.speech
    assert db.stage(alexa.user_id) == "ready"


def test_logging_the_call_as_some_contact_in_ready_asks_whether_they_agreed(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)
    alexa.next_day(2)

    turn = alexa.intent("LogDayIntent", contact="we talked", activity="gym", confidence="8")

    assert "You had contact today" not in turn.speech
    assert turn.speech.endswith("Did they agree to meet for a coffee?")
    assert "You're at 32 days without contact" not in turn.speech
    assert not turn.ended
    alexa.say_yes()
    assert db.stage(alexa.user_id) == "meeting"


def test_after_the_meeting_no_reply_speaks_of_days_without_contact_up_to_day_65(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)
    _call_and_meet(alexa)
    alexa.next_day()  # day 33: the meeting
    alexa.next_day()  # day 34
    told = alexa.intent("MeetingOutcomeIntent", outcome="they want to meet again")
    assert "lovely news" in told.speech
    assert db.stage(alexa.user_id) == "rekindling"
    alexa.end_session()

    replies: list[Turn] = []
    for day in range(35, 66):
        alexa.next_day()
        if day % 3 == 0:
            replies.append(alexa.log_day("we talked", "saw friends", 8))
        replies.append(alexa.launch())
        alexa.end_session()
    streak = alexa.intent("StreakIntent")
    progress = alexa.intent("ProgressIntent")
    ready = alexa.intent("AmIReadyIntent")
    helped = alexa.intent("AMAZON.HelpIntent")
    replies += [streak, progress, ready, helped]

    assert [t.speech for t in replies if _no_contact_talk(t)] == []
    assert "It's been 31 days since your first meeting" in streak.speech
    assert "You've logged" in streak.speech
    assert "Your average confidence this week is 8." in streak.speech
    assert "Something to keep in mind:" in streak.speech
    assert "you've met, and you're rebuilding" in ready.speech
    assert "past the readiness check already" not in ready.speech
    assert db.stage(alexa.user_id) == "rekindling"


def test_the_same_journey_ending_in_no_spark_moves_on(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    _call_and_meet(alexa)
    alexa.next_day(2)

    told = alexa.intent("MeetingOutcomeIntent", outcome="there was no spark")
    assert "Would you like to focus on moving on?" in told.speech
    moved = alexa.say_yes()

    assert "Moving on is a win" in moved.speech
    assert db.stage(alexa.user_id) == "moving_on"
    alexa.end_session()
    alexa.next_day()
    alexa.intent("SlipIntent")
    assert db.stage(alexa.user_id) == "moving_on"  # a slip resets the clock, not the stage


def test_an_outcome_not_understood_twice_becomes_a_plain_yes_no(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    _call_and_meet(alexa)
    alexa.next_day(2)

    first = alexa.intent("MeetingOutcomeIntent")
    second = alexa.intent("MeetingOutcomeIntent", outcome="purple elephants")
    assert first.elicited_slot == "outcome"
    assert second.speech.endswith("Do they want to meet again?")
    assert second.elicited_slot is None
    again = alexa.say_yes()

    assert "lovely news" in again.speech
    assert db.stage(alexa.user_id) == "rekindling"


def test_a_slip_said_in_a_day_log_is_met_warmly_before_the_next_question(
    alexa: Alexa,
) -> None:
    alexa.onboard()
    alexa.next_day(10)

    turn = alexa.intent("LogDayIntent", contact="I texted my ex")

    assert turn.elicited_slot == "activity"
    assert "Thank you for being honest." in turn.speech
    assert "your best streak of 10 days stays yours" in turn.speech
    assert turn.speech.endswith(
        "What did you do for yourself today? For example friends, a hobby, exercise, "
        "self care, a new look, or nothing."
    )
