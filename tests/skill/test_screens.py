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


@pytest.mark.parametrize("intent", ["StreakIntent", "ProgressIntent", "LogDayIntent"])
def test_a_device_with_a_screen_gets_the_progress_document(
    handler: Callable[..., Any], intent: str
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
    assert coach["days"] == "4"
    today = "free" if intent == "LogDayIntent" else "none"
    assert [d["kind"] for d in coach["strip"]][-4:] == ["free", "free", "free", today]
    assert [c["value"] for c in coach["confidence"]][:3] == [6, 6, 6]
    assert directive["document"]["type"] == "APL"
    assert turn.response["card"]["type"] == "Simple"
    assert turn.response["card"]["title"] == "Comeback Coach"


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
