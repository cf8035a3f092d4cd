"""A request whose timestamp is outside any sane window (before Alexa existed, or far ahead of
the clock) is answered kindly and stores nothing: no day 0001-01-01 or 9999-12-31 in
anyone's history, and the user's own rows as they were."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.alexa import Alexa
from tests.reliability.helpers import (
    assert_valid_response,
    capture_logs,
    full_log_event,
    inspector,
    snapshot,
)

USER = "amzn1.ask.account.TIME-TRAVELLER"
NOW = datetime.now(UTC).replace(microsecond=0)
OUT_OF_WINDOW = {
    "year 1": datetime(1, 1, 1, tzinfo=UTC),
    "year 9999": datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    "before 2015": datetime(2014, 12, 31, 23, 59, 59, tzinfo=UTC),
    "two days ahead": NOW + timedelta(days=2),
}


@pytest.mark.parametrize("when", OUT_OF_WINDOW.values(), ids=OUT_OF_WINDOW.keys())
def test_a_request_from_outside_the_sane_window_is_answered_and_stores_nothing(
    database_url: str, lambda_on: Callable[[str], Any], when: datetime
) -> None:
    module = lambda_on(database_url)
    alexa = Alexa(module.handler, user_id=USER, now=NOW)
    alexa.onboard()
    alexa.log_day(confidence=6)
    with inspector(database_url) as engine:
        before = snapshot(engine)
    stamp = when.isoformat().replace("+00:00", "Z")  # 0001-01-01T00:00:00Z, four digits

    def sent_at_that_instant(event: dict[str, Any], context: Any = None) -> Any:
        return module.handler({**event, "request": {**event["request"], "timestamp": stamp}}, None)

    stranger = Alexa(sent_at_that_instant, user_id=f"{USER}-NEW")
    alexa.handler = sent_at_that_instant
    with capture_logs() as logs:
        answers = [
            sent_at_that_instant(full_log_event(alexa, confidence=9)),
            alexa.launch().envelope,
            alexa.intent("SlipIntent").envelope,
            alexa.intent("UrgeIntent").envelope,
            stranger.launch().envelope,
        ]
    with inspector(database_url) as engine:
        after = snapshot(engine)
    alexa.handler = module.handler
    back = alexa.log_day(confidence=8)

    for answer in answers:
        assert_valid_response(answer)
        assert answer["response"]["outputSpeech"], answer
    assert after == before
    assert "Traceback" not in logs.text()
    assert "nothing will be stored" in logs.text()
    assert "updated" in back.speech, back.speech


def test_a_request_a_few_hours_ahead_of_the_clock_is_stored_as_usual(
    database_url: str, lambda_on: Callable[[str], Any]
) -> None:
    module = lambda_on(database_url)
    alexa = Alexa(module.handler, user_id=USER, now=NOW + timedelta(hours=20))
    alexa.onboard()

    turn = alexa.log_day(confidence=7)

    assert "today is logged" in turn.speech, turn.speech


@pytest.mark.parametrize("when", OUT_OF_WINDOW.values(), ids=OUT_OF_WINDOW.keys())
def test_disabling_the_skill_erases_the_user_whatever_the_timestamp_says(
    database_url: str, lambda_on: Callable[[str], Any], when: datetime
) -> None:
    module = lambda_on(database_url)
    alexa = Alexa(module.handler, user_id=USER, now=NOW)
    alexa.onboard()
    alexa.log_day(confidence=6)
    with inspector(database_url) as engine:
        before = snapshot(engine)
    disabled = alexa.envelope({"type": "AlexaSkillEvent.SkillDisabled"}, new=True)
    disabled["request"]["timestamp"] = when.isoformat().replace("+00:00", "Z")
    del disabled["session"]
    module.handler(disabled, None)
    with inspector(database_url) as engine:
        after = snapshot(engine)

    assert any(before.values())
    assert not any(after.values()), after
