"""When things break: a spoken apology, never an exception out of the Lambda handler."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from skill.app import SkillIdMismatch
from tests.alexa import SKILL_ID, Alexa, load_lambda_handler
from tests.skill.helpers import Database

APOLOGY = "Sorry, something went wrong on my side."


def _assert_apology_that_keeps_listening(turn_response: dict[str, Any]) -> None:
    response = turn_response["response"]
    assert APOLOGY in response["outputSpeech"]["ssml"]
    assert response.get("shouldEndSession") is False
    assert response["reprompt"]["outputSpeech"]["ssml"]
    assert "Traceback" not in json.dumps(turn_response)


@pytest.fixture
def lambda_at(
    monkeypatch: pytest.MonkeyPatch, skill_env: None, http: Any
) -> Iterator[Callable[[str], Any]]:
    """A fresh Lambda module on the database URL given; its skill is closed afterwards."""
    modules: list[Any] = []

    def load(url: str) -> Any:
        monkeypatch.setenv("DATABASE_URL", url)
        modules.append(load_lambda_handler())
        return modules[-1]

    yield load
    for module in modules:
        if module._skill is not None:
            module._skill.close()


def test_a_database_path_inside_a_file_gets_a_spoken_apology_until_it_is_fixed(
    lambda_at: Callable[[str], Any], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where a folder should be")
    alexa = Alexa(lambda_at(f"sqlite:///{blocker}/coach.db").handler)

    first = alexa.launch()
    again = alexa.launch()
    blocker.unlink()
    blocker.mkdir()  # an operator repairs the disk
    fixed = alexa.launch()

    _assert_apology_that_keeps_listening(first.envelope)
    _assert_apology_that_keeps_listening(again.envelope)
    assert fixed.speech.startswith("Welcome to Comeback Coach.")


def test_a_database_that_cannot_be_opened_gets_a_spoken_apology(
    lambda_at: Callable[[str], Any], tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder-not-a-database"
    folder.mkdir()
    alexa = Alexa(lambda_at(f"sqlite:///{folder}").handler)

    launch = alexa.launch()
    log = alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="8")

    _assert_apology_that_keeps_listening(launch.envelope)
    _assert_apology_that_keeps_listening(log.envelope)


def test_tables_dropped_mid_conversation_get_a_spoken_apology(alexa: Alexa, db: Database) -> None:
    alexa.onboard()
    alexa.next_day()
    alexa.launch()
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("DROP TABLE day_logs")
        conn.execute("DROP TABLE users")
        conn.commit()

    streak = alexa.intent("StreakIntent")
    log = alexa.intent("LogDayIntent", contact="no contact", activity="gym", confidence="8")

    _assert_apology_that_keeps_listening(streak.envelope)
    assert "Please try again" in streak.reprompt
    _assert_apology_that_keeps_listening(log.envelope)


def test_a_request_for_another_skill_is_refused_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, skill_env: None, http: Any, db: Database
) -> None:
    monkeypatch.setenv("ALEXA_SKILL_ID", SKILL_ID)
    module = load_lambda_handler()
    stranger = Alexa(module.handler, skill_id="amzn1.ask.skill.someone-elses-skill")
    ours = Alexa(module.handler)

    try:
        with pytest.raises(SkillIdMismatch):
            stranger.launch()
        with pytest.raises(SkillIdMismatch):
            stranger.intent("LogDayIntent", contact="no contact", activity="gym", confidence="8")
        assert db.count("users") == 0
        assert ours.launch().speech.startswith("Welcome to Comeback Coach.")
    finally:
        if module._skill is not None:
            module._skill.close()
    assert db.count("users") == 1


def _launch_event(alexa: Alexa) -> dict[str, Any]:
    return json.loads(json.dumps(alexa.envelope({"type": "LaunchRequest"})))


MALFORMED = {
    "no request": lambda e: e.pop("request"),
    "request is text": lambda e: e.__setitem__("request", "LaunchRequest"),
    "session is a number": lambda e: e.__setitem__("session", 5),
    "type is a number": lambda e: e["request"].__setitem__("type", 5),
    "timestamp is not a time": lambda e: e["request"].__setitem__("timestamp", "yesterday"),
    "intent is text": lambda e: e.__setitem__(
        "request", {**e["request"], "type": "IntentRequest", "intent": "LogDayIntent"}
    ),
    "slots are text": lambda e: e.__setitem__(
        "request",
        {**e["request"], "type": "IntentRequest", "intent": {"name": "X", "slots": "abc"}},
    ),
}


@pytest.mark.parametrize("broken", sorted(MALFORMED))
def test_a_malformed_envelope_gets_an_apology_not_a_crash(
    handler: Any, alexa: Alexa, db: Database, broken: str
) -> None:
    event = _launch_event(alexa)
    MALFORMED[broken](event)

    result = handler(event, None)

    assert result["version"] == "1.0"
    assert APOLOGY in result["response"]["outputSpeech"]["ssml"]
    assert "Traceback" not in json.dumps(result)
    assert db.count("users") == 0


@pytest.mark.parametrize("event", [None, [], "LaunchRequest", 42, {}])
def test_something_that_is_not_an_envelope_gets_an_apology(handler: Any, event: Any) -> None:
    result = handler(event, None)

    assert result["version"] == "1.0"
    assert APOLOGY in result["response"]["outputSpeech"]["ssml"]


def test_a_request_without_a_user_id_gets_an_apology_and_writes_nothing(
    handler: Any, alexa: Alexa, db: Database
) -> None:
    event = _launch_event(alexa)
    del event["session"]["user"]
    del event["context"]["System"]["user"]

    result = handler(event, None)

    _assert_apology_that_keeps_listening(result)
    assert db.count("users") == 0


def test_support_without_a_user_id_still_gives_the_crisis_line(handler: Any, alexa: Alexa) -> None:
    event = json.loads(
        json.dumps(
            alexa.envelope(
                {"type": "IntentRequest", "intent": {"name": "SupportIntent", "slots": {}}}
            )
        )
    )
    del event["session"]["user"]
    del event["context"]["System"]["user"]

    result = handler(event, None)

    assert "988" in result["response"]["outputSpeech"]["ssml"]


def test_an_error_is_apologised_for_in_english_for_an_unknown_locale(
    handler: Any, db: Database
) -> None:
    alexa = Alexa(handler, locale="xx-XX")
    alexa.onboard()
    with closing(sqlite3.connect(db.path)) as conn:
        conn.execute("DROP TABLE day_logs")
        conn.commit()

    turn = alexa.log_day()

    _assert_apology_that_keeps_listening(turn.envelope)
