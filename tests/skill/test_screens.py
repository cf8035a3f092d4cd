"""Screens: an APL document for devices that render APL, a card for the Alexa app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.alexa import Alexa, load_lambda_handler


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/coach.db")
    monkeypatch.setenv("USER_ID_PEPPER", "screen-pepper")
    return load_lambda_handler().handler  # type: ignore[no-any-return]


def apl(turn: Any) -> dict[str, Any] | None:
    found = [d for d in turn.directives if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("intent", "shown"),
    [("StreakIntent", "hero"), ("ProgressIntent", "tiles"), ("LogDayIntent", "chips")],
)
def test_each_question_gets_its_own_screen(
    handler: Callable[..., Any], intent: str, shown: str
) -> None:
    alexa = Alexa(handler, apl=True)
    alexa.onboard()
    for _ in range(3):
        alexa.next_day()
        alexa.log_day(confidence=6)
    alexa.next_day()
    slots = {"contact": "no contact", "activity": "friends", "confidence": "9"}
    turn = alexa.intent(intent, **(slots if intent == "LogDayIntent" else {}))
    directive = apl(turn)
    assert directive is not None, turn.speech
    coach = directive["datasources"]["coach"]
    assert shown in coach
    assert directive["document"]["type"] == "APL"
    assert directive["document"]["environment"]["lang"] == "en-US"
    assert turn.response["card"]["type"] == "Simple"
    assert turn.response["card"]["title"] == "Comeback Coach"
    if intent == "ProgressIntent":
        bars = [(c["kind"], c["value"]) for c in coach["chart"]]
        assert bars[-4:] == [("bar", 6), ("bar", 6), ("bar", 6), ("gap", 0)]
        # The journey began four days ago, on a day with nothing logged.
        assert bars[:3] == [("before", 0), ("before", 0), ("gap", 0)]
        assert coach["tiles"][0]["value"] == "3"
    else:
        today = "free" if intent == "LogDayIntent" else "none"
        kinds = [d["kind"] for d in coach["strip"]]
        assert kinds[-4:] == ["free", "free", "free", today]
        assert set(kinds[:-5]) == {"before"} and kinds[-5] == "none"
    if intent == "StreakIntent":
        assert coach["hero"]["value"] == "4"
        assert coach["hero"]["label"] == "days without contact"
    if intent == "LogDayIntent":
        assert coach["chips"][2]["value"] == "9 of 10"


def test_an_arabic_screen_is_right_to_left(handler: Callable[..., Any]) -> None:
    alexa = Alexa(handler, apl=True, locale="ar-SA")
    alexa.onboard()
    alexa.next_day()
    directive = apl(alexa.intent("StreakIntent"))
    assert directive is not None
    assert directive["document"]["environment"]["layoutDirection"] == "RTL"
    assert directive["document"]["environment"]["lang"] == "ar-SA"
    assert directive["datasources"]["coach"]["hero"]["label"] == "يوم بلا تواصل"


def test_a_device_without_a_screen_gets_no_apl_but_still_a_card(
    handler: Callable[..., Any],
) -> None:
    alexa = Alexa(handler, apl=False)
    alexa.onboard()
    alexa.next_day()
    turn = alexa.intent("StreakIntent")
    assert apl(turn) is None
    assert "1 day without contact" in turn.response["card"]["content"]


def test_the_strip_shows_a_slip_as_contact(handler: Callable[..., Any]) -> None:
    alexa = Alexa(handler, apl=True)
    alexa.onboard()
    alexa.next_day()
    alexa.intent("SlipIntent")
    alexa.end_session()
    directive = apl(alexa.intent("StreakIntent"))
    assert directive is not None
    assert directive["datasources"]["coach"]["strip"][-1]["kind"] == "slip"
