"""Slips: no blame, the clock restarts, the best streak and the history stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.alexa import Alexa
from tests.skill.helpers import Database, reach_ready_stage


def _start_on_the_first(alexa: Alexa) -> None:
    alexa.now = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    alexa.onboard()


def test_a_slip_resets_the_no_contact_days_but_keeps_the_best(alexa: Alexa, db: Database) -> None:
    _start_on_the_first(alexa)
    alexa.next_day(10)  # the 11th

    turn = alexa.intent("SlipIntent")

    assert "Thank you for being honest." in turn.speech
    assert "10 of your 11 days were contact-free" in turn.speech
    assert "Your best streak is 10 days" in turn.speech
    assert "starts again today" in turn.speech
    assert turn.ended
    streak = alexa.intent("StreakIntent")
    assert "Today is day zero without contact" in streak.speech
    assert "Your best streak is 10 days." in streak.speech
    assert "10 of your 11 days were contact-free." in streak.speech
    assert "7 days to go to your next milestone." in streak.speech
    assert db.days(alexa.user_id) == [(date(2026, 3, 11), "SOME", None, None)]
    assert db.stage(alexa.user_id) == "no_contact"

    alexa.next_day()
    assert "You're at 1 day without contact." in alexa.launch().speech


def test_a_second_slip_the_same_day_changes_nothing_more(alexa: Alexa, db: Database) -> None:
    _start_on_the_first(alexa)
    alexa.next_day(10)
    alexa.intent("SlipIntent")
    before = db.user(alexa.user_id)

    turn = alexa.intent("SlipIntent")

    assert "I've already noted contact today, so nothing more changes." in turn.speech
    assert "Your best streak of 10 days is still yours" in turn.speech
    assert db.user(alexa.user_id) == before
    assert len(db.days(alexa.user_id)) == 1
    alexa.next_day()
    assert "11 of your 12 days were contact-free." in alexa.intent("StreakIntent").speech


def test_a_later_shorter_run_does_not_replace_the_best_streak(alexa: Alexa) -> None:
    _start_on_the_first(alexa)
    alexa.next_day(10)
    alexa.intent("SlipIntent")
    alexa.next_day(3)

    turn = alexa.intent("SlipIntent")

    assert "12 of your 14 days were contact-free" in turn.speech
    assert "Your best streak is 10 days" in turn.speech


def test_a_slip_in_the_confidence_stage_returns_to_no_contact(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(8)
    alexa.launch()
    assert db.stage(alexa.user_id) == "confidence"

    alexa.intent("SlipIntent")

    assert db.stage(alexa.user_id) == "no_contact"
    assert "You're in the no contact stage" in alexa.intent("AMAZON.HelpIntent").speech


def test_contact_in_the_ready_stage_is_the_advised_call_and_resets_nothing(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)

    turn = alexa.intent("SlipIntent")

    assert "You called them, just as we planned." in turn.speech
    assert turn.speech.endswith("Did they agree to meet for a coffee?")
    assert db.stage(alexa.user_id) == "ready"
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 0


def test_contact_in_the_meeting_stage_resets_nothing(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")
    alexa.next_day()

    slip = alexa.intent("SlipIntent")
    logged = alexa.log_day("we talked", "saw friends", 8)

    assert "Contact is part of this stage of your plan, so nothing resets." in slip.speech
    assert "Contact is part of this stage, so nothing resets." in logged.speech
    assert "You had contact today" not in logged.speech
    assert db.stage(alexa.user_id) == "meeting"
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["last_contact_on"] is None
    assert user["slip_days"] == 0


def test_contact_while_rekindling_resets_nothing(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")
    alexa.intent("MeetingOutcomeIntent", outcome="they want to meet again")
    alexa.next_day()

    turn = alexa.intent("SlipIntent")

    assert "nothing resets" in turn.speech
    assert db.stage(alexa.user_id) == "rekindling"
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 0


def test_a_slip_while_moving_on_is_met_without_blame(alexa: Alexa, db: Database) -> None:
    alexa.launch()
    alexa.say_yes()
    alexa.say_no()
    alexa.end_session()
    alexa.next_day(4)

    turn = alexa.intent("SlipIntent")

    assert "It happens, and it doesn't undo how far you've come" in turn.speech
    assert "4 of your 5 days were contact-free" in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"
