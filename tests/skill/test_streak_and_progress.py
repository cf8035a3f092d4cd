"""'What's my streak' and 'how am I doing': the user's own figures."""

from __future__ import annotations

from tests.alexa import Alexa
from tests.skill.helpers import says_list


def test_the_streak_gives_days_best_log_streak_and_the_next_milestone(alexa: Alexa) -> None:
    alexa.onboard()
    for _ in range(3):
        alexa.next_day()
        alexa.log_day()

    turn = alexa.intent("StreakIntent")

    assert turn.speech == (
        "You're at 3 days without contact. Your best streak is 3 days. "
        "Your logging streak is 3 days. 4 days to go to your next milestone."
    )
    assert turn.ended


def test_the_log_streak_still_counts_yesterday_until_today_is_logged(alexa: Alexa) -> None:
    alexa.onboard()
    for _ in range(3):
        alexa.next_day()
        alexa.log_day()
    alexa.next_day()

    today_unlogged = alexa.intent("StreakIntent")
    alexa.next_day()
    missed_a_day = alexa.intent("StreakIntent")

    assert "Your logging streak is 3 days." in today_unlogged.speech
    assert "You haven't logged a day recently." in missed_a_day.speech
    assert "Your logging streak is" not in missed_a_day.speech


def test_the_next_milestone_follows_the_days_without_contact(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(16)

    turn = alexa.intent("StreakIntent")

    assert "You're at 16 days without contact." in turn.speech
    assert "5 days to go to your next milestone." in turn.speech


def _log_week(alexa: Alexa, confidences: list[int], activities: list[str]) -> None:
    for confidence, activity in zip(confidences, activities, strict=True):
        alexa.next_day()
        alexa.log_day("no contact", activity, confidence)


def test_progress_compares_average_confidence_with_the_week_before(alexa: Alexa) -> None:
    alexa.onboard()
    _log_week(alexa, [5] * 7, ["nothing"] * 7)
    _log_week(
        alexa,
        [8, 7, 9, 8, 8, 7, 9],
        ["gym", "saw friends", "gym", "painting", "gym", "saw friends", "reading"],
    )

    turn = alexa.intent("ProgressIntent")

    assert turn.speech.startswith(
        "In the last seven days you logged 7 days. "
        "Your average confidence was 8, up 3 from the week before."
    )
    assert says_list(turn.speech, "You made time for", "exercise", "friends", "a hobby")
    assert turn.speech.endswith("And no slips. Well done.")
    assert turn.ended


def test_progress_says_when_confidence_went_down_kindly(alexa: Alexa) -> None:
    alexa.onboard()
    _log_week(alexa, [8] * 7, ["gym"] * 7)
    _log_week(alexa, [6, 7, 5, 6, 6, 6, 6], ["gym"] * 7)

    turn = alexa.intent("ProgressIntent")

    assert "Your average confidence was 6, down 2 from the week before." in turn.speech
    assert "Harder weeks happen" in turn.speech


def test_progress_says_when_confidence_stayed_the_same(alexa: Alexa) -> None:
    alexa.onboard()
    _log_week(alexa, [7] * 7, ["gym"] * 7)
    _log_week(alexa, [6, 8, 7, 7, 7, 7, 7], ["gym"] * 7)

    turn = alexa.intent("ProgressIntent")

    assert "Your average confidence was 7, the same as the week before." in turn.speech


def test_progress_in_a_first_week_gives_the_average_without_a_change(alexa: Alexa) -> None:
    alexa.onboard()
    _log_week(alexa, [7, 8], ["gym", "nothing"])

    turn = alexa.intent("ProgressIntent")

    assert "In the last seven days you logged 2 days." in turn.speech
    assert "Your average confidence was 7.5." in turn.speech
    assert "from the week before" not in turn.speech
    assert "You made time for exercise." in turn.speech


def test_progress_counts_the_days_with_contact(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.log_day("some contact", "gym", 5)
    alexa.next_day()
    alexa.log_day("no contact", "gym", 6)
    alexa.next_day()
    alexa.intent("SlipIntent")

    turn = alexa.intent("ProgressIntent")

    assert "In the last seven days you logged 2 days." in turn.speech
    assert "You had contact on 2 days, and you kept going." in turn.speech
    assert "no slips" not in turn.speech


def test_progress_without_logs_invites_logging(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(2)

    turn = alexa.intent("ProgressIntent")

    assert "You haven't logged any days this week. Say log my day" in turn.speech
    assert turn.ended


def test_progress_only_looks_at_the_last_seven_days(alexa: Alexa) -> None:
    alexa.onboard()
    _log_week(alexa, [3, 3], ["gym", "gym"])
    alexa.next_day(7)
    alexa.log_day("no contact", "painting", 9)

    turn = alexa.intent("ProgressIntent")

    assert "In the last seven days you logged 1 day." in turn.speech
    assert "Your average confidence was 9, up 6 from the week before." in turn.speech
    assert "You made time for a hobby." in turn.speech
