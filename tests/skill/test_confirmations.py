"""Moving on, starting over and deleting data ask first; deletion removes every row."""

from __future__ import annotations

from typing import Any

import pytest

from tests.alexa import Alexa
from tests.skill.helpers import Database, load_request, set_user

CONFIRMATIONS = {
    "MovedOnIntent": (
        "you don't want to get back together anymore?",
        "Do you want to stop trying to get them back? Yes or no?",
    ),
    "StartOverIntent": (
        "Do you want to start over?",
        "Do you want to start over? Yes or no?",
    ),
    "DeleteDataIntent": (
        "Do you want to delete your data?",
        "Do you want me to delete all your data? Yes or no?",
    ),
}


def _user_with_history(alexa: Alexa) -> None:
    alexa.onboard()
    for _ in range(3):
        alexa.next_day()
        alexa.log_day()


@pytest.mark.parametrize("intent", sorted(CONFIRMATIONS))
def test_a_life_changing_request_asks_yes_or_no_first(
    alexa: Alexa, db: Database, intent: str
) -> None:
    _user_with_history(alexa)
    before = (db.user(alexa.user_id), db.days(alexa.user_id))

    turn = alexa.intent(intent)

    question, reprompt = CONFIRMATIONS[intent]
    assert turn.speech.endswith(question)
    assert turn.reprompt == reprompt
    assert not turn.ended
    assert (db.user(alexa.user_id), db.days(alexa.user_id)) == before


@pytest.mark.parametrize(
    ("intent", "answer"),
    [
        ("MovedOnIntent", "Okay, nothing changes. Your plan stays as it is."),
        ("StartOverIntent", "Okay, nothing changed."),
        ("DeleteDataIntent", "Okay, I kept everything."),
    ],
)
def test_no_to_a_confirmation_keeps_everything(
    alexa: Alexa, db: Database, intent: str, answer: str
) -> None:
    _user_with_history(alexa)
    before = (db.user(alexa.user_id), db.days(alexa.user_id))
    alexa.intent(intent)

    turn = alexa.say_no()

    assert turn.speech == answer
    assert turn.ended
    assert (db.user(alexa.user_id), db.days(alexa.user_id)) == before
    assert "You're at 3 days without contact." in alexa.intent("StreakIntent").speech


def test_yes_to_moving_on_is_celebrated_and_changes_the_stage(alexa: Alexa, db: Database) -> None:
    _user_with_history(alexa)
    alexa.intent("MovedOnIntent")

    turn = alexa.say_yes()

    assert "That's a real win. Moving on is a success, not a failure." in turn.speech
    assert turn.ended
    assert db.stage(alexa.user_id) == "moving_on"
    assert len(db.days(alexa.user_id)) == 3


def test_yes_to_starting_over_asks_the_first_questions_again_and_keeps_the_logs(
    alexa: Alexa, db: Database
) -> None:
    _user_with_history(alexa)
    alexa.intent("StartOverIntent")

    turn = alexa.say_yes()

    assert turn.speech == "Did you feel safe and respected with them?"
    assert "Did you feel safe and respected with them?" in turn.reprompt
    assert not turn.ended
    assert db.stage(alexa.user_id) == "reflect"
    assert len(db.days(alexa.user_id)) == 3
    alexa.say_yes()
    restarted = alexa.say_yes()
    assert "Today is day zero" in restarted.speech
    assert "Today is day zero without contact" in alexa.intent("StreakIntent").speech


def test_deleting_data_removes_every_row_of_the_user_and_no_one_elses(
    handler: Any, db: Database
) -> None:
    me = Alexa(handler, user_id="amzn1.ask.account.LEAVING")
    other = Alexa(handler, user_id="amzn1.ask.account.STAYING")
    _user_with_history(me)
    _user_with_history(other)
    me.intent("DeleteDataIntent")

    turn = me.say_yes()

    assert "Everything I had about you is deleted." in turn.speech
    assert turn.ended
    assert turn.envelope.get("sessionAttributes") in (None, {})
    assert db.user(me.user_id) is None
    assert db.days(me.user_id) == []
    assert db.count("users") == 1
    assert db.count("day_logs") == 3
    assert len(db.days(other.user_id)) == 3
    welcome = me.launch()
    assert welcome.speech.startswith("Welcome to Comeback Coach.")


def test_deleting_the_data_of_someone_we_never_met_says_there_was_nothing(
    alexa: Alexa, db: Database
) -> None:
    alexa.intent("DeleteDataIntent")

    turn = alexa.say_yes()

    assert "I don't have any data about you" in turn.speech
    assert db.count("users") == 0


def test_a_confirmation_left_unanswered_is_not_carried_out_by_a_later_yes(
    alexa: Alexa, db: Database
) -> None:
    _user_with_history(alexa)
    alexa.intent("DeleteDataIntent")
    alexa.intent("StreakIntent", dialog_state=None)
    alexa.session_id = alexa.session_id or "amzn1.echo-api.session.kept-open"

    turn = alexa.say_yes()

    assert "not sure what that's answering" in turn.speech
    assert db.user(alexa.user_id) is not None


def test_disabling_the_skill_deletes_the_users_data_silently(handler: Any, db: Database) -> None:
    event = load_request("alexa_skill_event_skill_disabled.json")
    me = Alexa(handler, user_id="amzn1.ask.account.DISABLING")
    other = Alexa(handler, user_id="amzn1.ask.account.KEEPING")
    _user_with_history(me)
    _user_with_history(other)

    result = handler(set_user(event, me.user_id), None)

    assert result["version"] == "1.0"
    assert "outputSpeech" not in (result.get("response") or {})
    assert db.user(me.user_id) is None
    assert db.days(me.user_id) == []
    assert len(db.days(other.user_id)) == 3
    assert me.launch().speech.startswith("Welcome to Comeback Coach.")
