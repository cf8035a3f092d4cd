"""Moments of need through the Lambda handler: the urge to reach out, the ex reaching out,
and a safety concern at any moment (PRODUCT §5)."""

from __future__ import annotations

import pytest

from tests.alexa import Alexa
from tests.skill.helpers import Database, reach_ready_stage, user_hash

ABUSE_DIGITS = "1-800-799-7233"  # en-US: the National Domestic Violence Hotline
EMERGENCY = "911"


def _urges(db: Database, user_id: str) -> list[tuple[str, int]]:
    return [
        (str(day), count)
        for day, count in db.rows(
            "SELECT g.day, g.count FROM urges g JOIN users u ON u.id = g.user_id "
            "WHERE u.user_hash = ? ORDER BY g.day",
            user_hash(user_id),
        )
    ]


def _at_day(alexa: Alexa, days: int) -> None:
    alexa.onboard()
    alexa.next_day(days)


def test_an_urge_on_day_12_keeps_the_clock_and_is_counted_for_today(
    alexa: Alexa, db: Database
) -> None:
    _at_day(alexa, 12)

    turn = alexa.intent("UrgeIntent")

    assert "That pull is real" in turn.speech
    assert "You're at 12 days without contact." in turn.speech
    assert turn.ended
    assert _urges(db, alexa.user_id) == [(alexa.now.date().isoformat(), 1)]
    assert db.days(alexa.user_id) == []  # never contact
    alexa.next_day()
    assert "You're at 13 days without contact." in alexa.intent("StreakIntent").speech


def test_two_urges_on_different_days_get_different_ways_through(alexa: Alexa) -> None:
    _at_day(alexa, 3)
    first = alexa.intent("UrgeIntent").speech
    alexa.next_day()
    second = alexa.intent("UrgeIntent").speech

    lead = "That pull is real, and feeling it doesn't mean you have to act on it."
    assert first.split(lead)[1].split("You're at")[0] != second.split(lead)[1].split("You're at")[0]


def test_the_week_mentions_the_urges_ridden_out(alexa: Alexa) -> None:
    _at_day(alexa, 3)
    alexa.log_day()
    alexa.intent("UrgeIntent")
    alexa.end_session()
    alexa.next_day()
    alexa.intent("UrgeIntent")
    alexa.end_session()
    alexa.intent("UrgeIntent")

    assert "You rode out 3 urges to reach out." in alexa.intent("ProgressIntent").speech


def test_an_urge_from_the_meeting_on_is_no_rule_to_break(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")
    alexa.end_session()

    turn = alexa.intent("UrgeIntent")

    assert "no rule to break" in turn.speech
    assert _urges(db, alexa.user_id) == []


@pytest.mark.parametrize("replied", [False, True])
def test_the_ex_reaching_out_is_not_a_slip_and_no_reply_keeps_the_clock(
    alexa: Alexa, db: Database, replied: bool
) -> None:
    _at_day(alexa, 10)

    told = alexa.intent("ExReachedOutIntent")
    assert "isn't a slip" in told.speech
    assert told.speech.endswith("Did you reply?")
    if not replied:
        turn = alexa.say_no()
        assert "That took real strength." in turn.speech
    else:
        asked = alexa.say_yes()
        assert asked.speech.startswith("Was it only about practical things")
        turn = alexa.say_yes()
        assert "necessary contact, and it breaks nothing" in turn.speech
    alexa.end_session()
    assert "You're at 10 days without contact." in alexa.intent("StreakIntent").speech
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["slip_days"] == 0


def test_a_reply_that_was_not_practical_is_a_slip_met_without_blame(
    alexa: Alexa, db: Database
) -> None:
    _at_day(alexa, 10)
    alexa.intent("ExReachedOutIntent")
    alexa.say_yes()

    turn = alexa.say_no()

    assert "Thank you for being honest." in turn.speech
    assert "10 of your 11 days were contact-free." in turn.speech
    assert "Your best streak is 10 days" in turn.speech
    alexa.end_session()
    assert "Today is day zero without contact" in alexa.intent("StreakIntent").speech


def test_the_ex_reaching_out_in_ready_is_a_natural_opening(alexa: Alexa) -> None:
    reach_ready_stage(alexa)

    turn = alexa.intent("ExReachedOutIntent")

    assert "natural opening" in turn.speech
    assert turn.ended


def test_a_safety_concern_on_day_31_ends_every_suggestion_of_contact(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)
    alexa.next_day()

    turn = alexa.intent("SafetyConcernIntent")

    assert "it's not your fault" in turn.speech
    assert ABUSE_DIGITS in turn.speech and EMERGENCY in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"
    user = db.user(alexa.user_id)
    assert user is not None
    assert user["unsafe"]
    alexa.end_session()
    replies = [
        alexa.intent("MeetingIntent"),
        alexa.intent("AmIReadyIntent"),
        alexa.intent("ExReachedOutIntent"),
        alexa.intent("UrgeIntent"),
        alexa.launch(),
    ]
    for reply in replies:
        for advice in ("coffee", "natural opening", "how to act at the meeting", "call them"):
            assert advice not in reply.speech.lower(), reply.speech
    assert ABUSE_DIGITS in replies[2].speech
    assert "blocking" in replies[2].speech
    assert ABUSE_DIGITS in replies[3].speech


@pytest.mark.parametrize("intent", ["SafetyConcernIntent", "SupportIntent"])
def test_safety_and_support_are_answered_in_the_middle_of_a_day_log(
    alexa: Alexa, intent: str
) -> None:
    _at_day(alexa, 4)
    asking = alexa.intent("LogDayIntent", contact="no contact")
    assert asking.elicited_slot == "activity"

    turn = alexa.intent(intent)

    assert ("988" if intent == "SupportIntent" else ABUSE_DIGITS) in turn.speech
    assert turn.elicited_slot is None
    assert not alexa.attributes


def test_a_safety_concern_from_someone_new_starts_a_safe_plan(alexa: Alexa, db: Database) -> None:
    turn = alexa.intent("SafetyConcernIntent")

    assert ABUSE_DIGITS in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"
