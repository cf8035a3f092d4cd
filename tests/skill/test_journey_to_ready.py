"""A month of the plan to the readiness verdict, then the coffee, the meeting and after."""

from __future__ import annotations

from itertools import cycle

from tests.alexa import Alexa, Turn
from tests.skill.helpers import (
    SOUND,
    VARIED_ACTIVITIES,
    Database,
    journey_to_day_30,
    reach_ready_stage,
    says_list,
    sounds,
)

STILL_WANT = "Do you still want to get back together?"


def test_a_month_of_daily_logs_leads_to_the_ready_question_and_a_coffee(
    alexa: Alexa, db: Database
) -> None:
    alexa.onboard()
    activities = cycle(VARIED_ACTIVITIES)
    confidences = cycle((7, 8, 9))
    celebrated: dict[int, Turn] = {}
    verdicts: dict[int, Turn] = {}
    for day in range(31):
        if day:
            alexa.next_day()
        logged = alexa.log_day("no contact", next(activities), next(confidences))
        # the days are said once: by the milestone sentence on a milestone's day
        assert (
            f"You're at {day} day" in logged.speech
            or f"{day} days without contact!" in (logged.speech)
            or day == 0
        )
        if sounds(logged):
            celebrated[day] = logged
        if day in (12, 29):
            verdicts[day] = alexa.intent("AmIReadyIntent")
            alexa.end_session()

    assert sorted(celebrated) == [7, 14, 21, 30]
    for day, turn in celebrated.items():
        assert sounds(turn) == 1
        assert f"{day} days without contact! That's a milestone" in turn.speech

    day_12 = verdicts[12]
    assert day_12.speech.startswith("Not yet, and that's okay.")
    assert "No contact: day 12 of 30." in day_12.speech
    assert says_list(day_12.speech, "Already there:", "regular logs", "confidence", "activities")
    assert "Your next step: keep going without contact." in day_12.speech
    assert STILL_WANT not in day_12.speech
    assert day_12.ended
    assert "No contact: day 29 of 30." in verdicts[29].speech

    ready = alexa.intent("AmIReadyIntent")
    assert ready.speech == (
        "You've done the work: 30 days without contact, 7 logs this week, an average "
        "confidence of 7.9, and 5 different activities. So, an honest question. "
        "Do you still want to get back together?"
    )
    assert ready.reprompt == "Do you still want to get back together? Yes or no?"
    assert not ready.ended
    assert db.stage(alexa.user_id) == "confidence"

    coffee = alexa.say_yes()
    assert "suggest a coffee catch-up" in coffee.speech
    assert "don't bring up getting back together" in coffee.speech
    assert coffee.ended
    assert db.stage(alexa.user_id) == "ready"
    assert "You're ready for a casual coffee" in alexa.intent("AMAZON.HelpIntent").speech


def test_the_not_ready_verdict_names_the_biggest_gap_first_with_the_users_figures(
    alexa: Alexa,
) -> None:
    alexa.onboard()
    alexa.next_day(10)
    alexa.log_day("no contact", "gym", 8)
    alexa.next_day(2)

    turn = alexa.intent("AmIReadyIntent")

    logs = turn.speech.index("Day logs this week: 1 of 4.")  # gap 3/4
    activities = turn.speech.index("Different activities in the last two weeks: 1 of 3.")  # 2/3
    no_contact = turn.speech.index("No contact: day 12 of 30.")  # gap 18/30
    assert logs < activities < no_contact
    assert "Already there: confidence." in turn.speech
    assert turn.speech.endswith("Your next step: log your day every day this week.")
    assert turn.ended


def test_a_low_average_confidence_is_named_with_the_users_average(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(30)
    for confidence, activity in ((4, "gym"), (5, "saw friends"), (6, "painting"), (5, "gym")):
        alexa.log_day("no contact", activity, confidence)
        alexa.next_day()
    alexa.next_day(-1)

    turn = alexa.intent("AmIReadyIntent")

    assert "Your average confidence this week is 5, and the goal is 7." in turn.speech
    assert says_list(turn.speech, "Already there:", "no contact", "regular logs", "activities")
    assert "Your next step: do one thing today that makes you feel good" in turn.speech
    assert STILL_WANT not in turn.speech


def test_without_any_rating_this_week_the_verdict_says_so(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(3)

    turn = alexa.intent("AmIReadyIntent")

    assert "You haven't rated your confidence this week yet" in turn.speech
    assert "Day logs this week: 0 of 4." in turn.speech


def test_no_to_still_wanting_them_back_is_celebrated_as_moving_on(
    alexa: Alexa, db: Database
) -> None:
    journey_to_day_30(alexa)
    alexa.intent("AmIReadyIntent")

    turn = alexa.say_no()

    assert "Not wanting them back is a win, not a failure." in turn.speech
    assert turn.ended
    assert db.stage(alexa.user_id) == "moving_on"
    assert "You're moving on" in alexa.intent("AMAZON.HelpIntent").speech
    again = alexa.intent("AmIReadyIntent")
    assert STILL_WANT not in again.speech
    assert "You've chosen to move on, and that's the win." in again.speech
    assert "You're at 30 days without contact" in again.speech


def test_meeting_my_ex_after_the_ready_yes_gives_meeting_advice(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)

    turn = alexa.intent("MeetingIntent")

    assert turn.speech.startswith("A coffee catch-up, well done for taking that step.")
    assert "Here's how to act at the meeting." in turn.speech
    assert "Don't bring up getting back together." in turn.speech
    assert turn.ended
    assert db.stage(alexa.user_id) == "meeting"
    again = alexa.intent("MeetingIntent")
    assert "well done for taking that step" not in again.speech
    assert "Here's how to act at the meeting." in again.speech


def test_meeting_my_ex_before_the_readiness_check_offers_the_check(
    alexa: Alexa, db: Database
) -> None:
    alexa.onboard()
    alexa.next_day(3)

    turn = alexa.intent("MeetingIntent")

    assert "The plan waits for the readiness check" in turn.speech
    assert "You're at 3 days without contact" in turn.speech
    assert "Here's how to act" not in turn.speech
    assert turn.speech.endswith("Would you like to check if you're ready?")
    assert turn.reprompt == "Would you like to check if you're ready?"
    assert db.stage(alexa.user_id) == "no_contact"
    verdict = alexa.say_yes()
    assert "No contact: day 3 of 30." in verdict.speech


def test_they_want_to_meet_again_moves_to_rekindling(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")

    turn = alexa.intent(
        "MeetingOutcomeIntent",
        outcome="it went well",
        resolutions={"outcome": ("AGAIN", "MEETING_OUTCOME")},
    )

    assert "That's lovely news." in turn.speech
    assert "build a fresh relationship" in turn.speech
    assert db.stage(alexa.user_id) == "rekindling"
    assert "You're rebuilding" in alexa.intent("AMAZON.HelpIntent").speech


def test_an_unsure_outcome_keeps_the_meeting_stage(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")

    turn = alexa.intent("MeetingOutcomeIntent", outcome="hard to tell")

    assert "That's completely normal." in turn.speech
    assert db.stage(alexa.user_id) == "meeting"


def test_a_meeting_outcome_without_a_value_is_asked_for(alexa: Alexa) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")
    alexa.end_session()

    turn = alexa.intent("MeetingOutcomeIntent")

    assert turn.elicited_slot == "outcome"
    assert "Do they want to meet again" in turn.speech
    assert "no spark" in turn.reprompt
    assert not turn.ended


def test_no_spark_asks_about_moving_on_and_no_means_checking_readiness_later(
    alexa: Alexa, db: Database
) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")

    spark = alexa.intent("MeetingOutcomeIntent", outcome="there was no spark")

    assert "Would you like to focus on moving on?" in spark.speech
    assert spark.reprompt == "Would you like to focus on moving on? Yes or no?"
    assert not spark.ended
    later = alexa.say_no()
    assert "check in again later by asking, am I ready" in later.speech
    assert db.stage(alexa.user_id) == "confidence"


def test_no_spark_and_yes_to_moving_on_is_a_win(alexa: Alexa, db: Database) -> None:
    reach_ready_stage(alexa)
    alexa.intent("MeetingIntent")
    alexa.intent("MeetingOutcomeIntent", outcome="it was awkward")

    turn = alexa.say_yes()

    assert "Moving on is a win" in turn.speech
    assert db.stage(alexa.user_id) == "moving_on"


def test_a_meeting_outcome_before_any_meeting_changes_nothing(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day(4)

    turn = alexa.intent("MeetingOutcomeIntent", outcome="it went well")

    assert "Once you have a meeting arranged" in turn.speech
    assert db.stage(alexa.user_id) == "no_contact"


def test_the_milestone_sound_is_a_soundbank_audio_tag(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day(7)

    turn = alexa.launch()

    assert SOUND in turn.ssml
    assert turn.ssml.startswith("<speak>")
