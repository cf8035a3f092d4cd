"""Across a whole journey: every question has a reprompt, and every open session asks one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.alexa import Alexa, Turn, plain


class Recorder:
    """A Lambda handler that remembers every response it gave."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.turns: list[tuple[str, Turn]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.handler(event, context)
        request = event["request"]
        label = (request.get("intent") or {}).get("name") or request["type"]
        self.turns.append((label, Turn(result)))
        return result


def test_every_question_has_a_reprompt_and_keeps_the_session_open(handler: Any) -> None:
    recorder = Recorder(handler)
    alexa = Alexa(recorder)
    alexa.launch()
    alexa.intent("AMAZON.HelpIntent")
    alexa.say_yes()
    alexa.say_yes()
    alexa.say_yes()
    alexa.intent("LogDayIntent", contact="no contact")
    alexa.intent("AMAZON.FallbackIntent")
    alexa.intent("LogDayIntent", activity="gym")
    alexa.intent("LogDayIntent", confidence="0")
    alexa.intent("LogDayIntent", confidence="7")
    for day in range(1, 31):
        alexa.next_day()
        alexa.launch()
        if day % 2:
            alexa.say_yes()
            alexa.say_no()
            alexa.intent("LogDayIntent", activity="saw friends")
            alexa.intent("LogDayIntent", confidence="8")
        else:
            alexa.log_day("no contact", ("painting", "a haircut", "yoga")[day % 3], 9)
        if day == 3:
            alexa.intent("MeetingIntent")
            alexa.say_no()
        alexa.intent("AMAZON.HelpIntent")
        alexa.intent("AMAZON.YesIntent")
        alexa.intent("AmIReadyIntent")
    alexa.intent("AmIReadyIntent")
    alexa.say_yes()
    alexa.intent("MeetingIntent")
    alexa.intent("MeetingOutcomeIntent")
    alexa.intent("MeetingOutcomeIntent", outcome="no chemistry")
    alexa.intent("AMAZON.HelpIntent")
    alexa.intent("MovedOnIntent")
    alexa.intent("AMAZON.FallbackIntent")
    alexa.say_no()
    alexa.intent("StartOverIntent")
    alexa.say_yes()
    alexa.intent("DeleteDataIntent")
    alexa.say_yes()

    assert len(recorder.turns) > 150
    for label, turn in recorder.turns:
        if turn.speech.endswith("?"):
            assert turn.reprompt, (label, turn)
            assert not turn.ended, (label, turn)
        if not turn.ended:
            assert turn.reprompt, (label, turn)
            assert plain(turn.ssml).strip(), (label, turn)
        assert "Sorry, something went wrong" not in turn.speech, (label, turn)


@pytest.mark.parametrize(
    ("steps", "question"),
    [
        (["launch"], "Did you feel safe and respected with them?"),
        (["launch", "yes"], "Is this relationship worth pursuing?"),
        (["onboarded", "DeleteDataIntent"], "delete all your data?"),
        (["onboarded", "StartOverIntent"], "start over?"),
        (["onboarded", "MovedOnIntent"], "stop trying to get them back?"),
    ],
)
def test_a_reply_not_understood_during_a_yes_no_question_asks_it_again(
    alexa: Alexa, steps: list[str], question: str
) -> None:
    for step in steps:
        if step == "launch":
            alexa.launch()
        elif step == "yes":
            alexa.say_yes()
        elif step == "onboarded":
            alexa.onboard()
        else:
            alexa.intent(step)
    turn = alexa.intent("AMAZON.FallbackIntent")
    assert turn.speech.startswith("Sorry, I didn't catch that.")
    assert question in turn.speech
    assert question in turn.reprompt
    assert not turn.ended
    # ...and the question is still open: "no" answers it.
    answer = alexa.say_no()
    assert "not sure what that's answering" not in answer.speech
