"""Whole-skill conversations in every supported locale: its language, its crisis line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.i18n import Strings, supported_locales
from tests.alexa import ROOT, Alexa, load_lambda_handler, plain


@pytest.fixture
def handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/coach.db")
    monkeypatch.setenv("USER_ID_PEPPER", "locale-pepper")
    return load_lambda_handler().handler  # type: ignore[no-any-return]


def spoken(locale: str, slot_type: str, value_id: str) -> str:
    model = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text("utf-8"))
    for t in model["interactionModel"]["languageModel"]["types"]:
        if t["name"] == slot_type:
            for v in t["values"]:
                if v["id"] == value_id:
                    return str(v["name"]["value"])
    raise LookupError(value_id)


def said(strings: Strings, key: str, **values: object) -> str:
    """The start of a message as the user hears it (before its first placeholder)."""
    template = strings.raw(key)
    head = str(template).split("{")[0]
    return plain(head).strip()


@pytest.mark.parametrize("locale", supported_locales())
def test_a_first_week_is_spoken_in_the_locales_language(
    locale: str, handler: Callable[..., Any]
) -> None:
    strings = Strings(locale)
    alexa = Alexa(handler, locale=locale, user_id=f"amzn1.ask.account.{locale}")

    welcome = alexa.launch()
    assert welcome.speech == plain(strings.text("welcome.new"))
    assert welcome.reprompt and not welcome.ended

    assert said(strings, "reflect.worth.ask") in alexa.say_yes().speech
    started = alexa.say_yes()
    assert said(strings, "reflect.start_no_contact") in started.speech
    alexa.end_session()

    alexa.next_day()
    logged = alexa.intent(
        "LogDayIntent",
        contact=spoken(locale, "CONTACT_STATUS", "NONE"),
        activity=spoken(locale, "ACTIVITY", "FRIENDS"),
        confidence="8",
    )
    assert logged.elicited_slot is None, logged.speech
    assert said(strings, "log.saved") in logged.speech
    assert strings.count("unit.day", 1) in logged.speech

    streak = alexa.intent("StreakIntent")
    assert strings.count("unit.day", 1) in streak.speech

    tip = alexa.intent("DailyTipIntent")
    assert any(t in tip.speech for t in strings.tips("no_contact"))

    support = alexa.intent("SupportIntent")
    assert strings.text("crisis_line") in support.speech
    assert strings.text("emergency") in support.speech


@pytest.mark.parametrize("locale", supported_locales())
def test_an_unsafe_answer_gives_the_locales_abuse_line(
    locale: str, handler: Callable[..., Any]
) -> None:
    strings = Strings(locale)
    alexa = Alexa(handler, locale=locale, user_id=f"amzn1.ask.account.unsafe.{locale}")
    alexa.launch()
    reply = alexa.say_no()
    assert strings.text("abuse_line") in reply.speech
    assert not reply.ended


def abuse_line_numbers(strings: Strings) -> list[str]:
    """The phone numbers in the locale's abuse line (PRODUCT: crisis_lines.md)."""
    return re.findall(r"\d[\d -]*\d", strings.text("abuse_line"))


@pytest.mark.parametrize("locale", supported_locales())
def test_the_moments_of_need_are_answered_in_the_locales_language(
    handler: Callable[..., Any], locale: str
) -> None:
    strings = Strings(locale)
    alexa = Alexa(handler, locale=locale)
    alexa.onboard()
    alexa.next_day(5)

    urge = alexa.intent("UrgeIntent")
    alexa.end_session()
    reached = alexa.intent("ExReachedOutIntent")
    alexa.end_session()
    safety = alexa.intent("SafetyConcernIntent")

    if not locale.startswith("en-"):  # its own words, not English fallbacks
        english = Strings("en-US")
        for key in ("urge.ack", "exreach.before", "safety.concern"):
            assert strings.raw(key) != english.raw(key), (locale, key)
    assert said(strings, "urge.ack") in urge.speech
    assert said(strings, "exreach.before") in reached.speech
    assert plain(strings.text("exreach.ask")) in reached.speech
    numbers = abuse_line_numbers(strings)
    assert numbers, f"{locale} has no number in its abuse line"
    for number in numbers:
        assert number in safety.speech, (locale, number)
    assert strings.text("emergency") in strings.text("safety.concern")
