"""Requests that are not for a conversation get an empty response, never speech (PRODUCT §5)."""

from __future__ import annotations

import pytest

from tests.alexa import Alexa


@pytest.mark.parametrize(
    "request_type",
    [
        "AudioPlayer.PlaybackStarted",
        "AudioPlayer.PlaybackFinished",
        "AudioPlayer.PlaybackFailed",
        "PlaybackController.PlayCommandIssued",
        "PlaybackController.NextCommandIssued",
        "Alexa.SomethingFromTheFuture",
    ],
)
def test_a_request_that_is_not_for_a_conversation_gets_an_empty_response(
    alexa: Alexa, request_type: str
) -> None:
    alexa.onboard()
    event = alexa.envelope({"type": request_type, "token": "t", "offsetInMilliseconds": 0})
    del event["session"]  # Alexa sends these without a session

    turn = alexa.send(event)

    assert turn.response.get("outputSpeech") is None
    assert turn.response.get("reprompt") is None
    assert not turn.envelope.get("sessionAttributes")
    assert turn.response.get("shouldEndSession") is None


def test_a_conversation_still_answers_after_such_a_request(alexa: Alexa) -> None:
    alexa.onboard()
    event = alexa.envelope({"type": "AudioPlayer.PlaybackStopped", "token": "t"})
    del event["session"]
    alexa.send(event)

    assert "Welcome back" in alexa.launch().speech
