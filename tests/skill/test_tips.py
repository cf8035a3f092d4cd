"""Today's tip: the same all day, another tomorrow, no repeat until the stage's pool is used."""

from __future__ import annotations

from itertools import pairwise

from tests.alexa import Alexa
from tests.skill.helpers import spoken_tip, tips


def _moving_on_user(alexa: Alexa) -> None:
    alexa.launch()
    alexa.say_yes()
    alexa.say_no()
    alexa.end_session()


def test_every_stage_has_at_least_ten_english_tips() -> None:
    for stage in ("reflect", "no_contact", "confidence", "ready", "meeting", "rekindling"):
        assert len(set(tips(stage))) >= 10, stage
    assert len(set(tips("moving_on"))) >= 10


def test_the_tip_is_the_same_all_day(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()

    first = alexa.intent("DailyTipIntent")
    alexa.now = alexa.now.replace(hour=23, minute=30)
    second = alexa.intent("DailyTipIntent")
    alexa.log_day()
    alexa.launch()
    offered = alexa.say_yes()

    assert first.speech.startswith("Here's today's tip.")
    assert first.speech.endswith("Come back tomorrow for a new one.")
    assert first.ended
    assert spoken_tip(first, "no_contact") == spoken_tip(second, "no_contact")
    assert spoken_tip(offered, "no_contact") == spoken_tip(first, "no_contact")


def test_the_tip_changes_the_next_day(alexa: Alexa) -> None:
    alexa.onboard()
    alexa.next_day()
    today = spoken_tip(alexa.intent("DailyTipIntent"), "no_contact")

    alexa.next_day()
    tomorrow = spoken_tip(alexa.intent("DailyTipIntent"), "no_contact")

    assert tomorrow != today


def test_no_tip_repeats_until_the_stage_pool_is_used_up(alexa: Alexa) -> None:
    _moving_on_user(alexa)
    pool = tips("moving_on")

    heard = []
    for _ in range(len(pool) + 3):
        alexa.next_day()
        heard.append(spoken_tip(alexa.intent("DailyTipIntent"), "moving_on"))

    first_round = heard[: len(pool)]
    assert sorted(first_round) == sorted(pool)
    assert len(set(heard[len(pool) :])) == 3
    for yesterday, today in pairwise(heard):
        assert today != yesterday


def test_skipped_days_do_not_use_up_tips(alexa: Alexa) -> None:
    _moving_on_user(alexa)
    pool = tips("moving_on")

    heard = []
    for _ in range(len(pool)):
        alexa.next_day(3)
        heard.append(spoken_tip(alexa.intent("DailyTipIntent"), "moving_on"))

    repeated = sorted({t for t in heard if heard.count(t) > 1})
    assert repeated == [], f"{len(repeated)} tips repeated before the pool was used up"
    assert sorted(heard) == sorted(pool)


def test_the_tips_follow_the_stage(alexa: Alexa) -> None:
    alexa.onboard()
    for _ in range(6):
        alexa.next_day()
        assert spoken_tip(alexa.intent("DailyTipIntent"), "no_contact")

    alexa.next_day()
    turn = alexa.intent("DailyTipIntent")

    assert "7 days without contact!" in turn.speech
    assert spoken_tip(turn, "confidence")


def test_a_slip_back_to_no_contact_does_not_repeat_the_tips_already_heard(alexa: Alexa) -> None:
    pool = tips("no_contact")
    assert len(pool) == 14  # a week before the slip and a week after use it all
    alexa.onboard()
    heard = []
    for day in range(7):  # days 0 to 6
        if day:
            alexa.next_day()
        heard.append(spoken_tip(alexa.intent("DailyTipIntent"), "no_contact"))
    alexa.next_day()
    assert spoken_tip(alexa.intent("DailyTipIntent"), "confidence")
    alexa.next_day()
    alexa.intent("SlipIntent")

    for day in range(7):  # days 8 to 14: days 0 to 6 of the new run
        if day:
            alexa.next_day()
        heard.append(spoken_tip(alexa.intent("DailyTipIntent"), "no_contact"))

    repeated = sorted({t for t in heard if heard.count(t) > 1})
    assert repeated == [], f"{len(repeated)} tips repeated before the pool was used up"
    assert sorted(heard) == sorted(pool)
