"""Milestones 7, 14, 21, 30, 60, 90: a sound and a sentence, each once."""

from __future__ import annotations

from tests.alexa import Alexa
from tests.skill.helpers import SOUND, sounds


def test_seven_days_are_celebrated_once_with_a_sound(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(7)

    first = alexa.launch()
    alexa.end_session()
    again = alexa.launch()
    streak = alexa.intent("StreakIntent")
    alexa.next_day()
    tomorrow = alexa.launch()

    assert sounds(first) == 1
    assert "7 days without contact! That's a milestone" in first.speech
    assert first.ssml.index(SOUND) < first.ssml.index("7 days without contact!")
    for later in (again, streak, tomorrow):
        assert sounds(later) == 0
        assert "milestone, and you earned" not in later.speech


def test_a_milestone_reached_on_a_log_is_celebrated_in_the_log_reply(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(14)

    turn = alexa.log_day()

    assert sounds(turn) == 1
    assert "14 days without contact! That's a milestone" in turn.speech
    assert sounds(alexa.launch()) == 0


def test_returning_past_two_milestones_celebrates_only_the_highest(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(15)

    turn = alexa.launch()

    assert sounds(turn) == 1
    assert "14 days without contact! That's a milestone" in turn.speech
    assert "7 days without contact!" not in turn.speech
    alexa.next_day(6)
    three_weeks = alexa.launch()
    assert sounds(three_weeks) == 1
    assert "21 days without contact!" in three_weeks.speech


def test_the_later_milestones_each_come_once(alexa: Alexa) -> None:
    alexa.onboard()
    heard = []
    for day in range(1, 95):
        alexa.next_day()
        turn = alexa.intent("StreakIntent")
        if sounds(turn):
            heard.append(day)
            assert f"{day} days without contact! That's a milestone" in turn.speech

    assert heard == [7, 14, 21, 30, 60, 90]
    assert "You've passed every milestone." in alexa.intent("StreakIntent").speech
