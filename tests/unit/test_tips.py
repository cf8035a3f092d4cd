"""Tip rotation: stable within a day, new the next, no repeats until the pool is used."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from skill.domain.model import Journey, Stage
from skill.domain.tips import todays_tip

DAY = date(2026, 2, 1)


def test_the_tip_is_the_same_all_day() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    first = todays_tip(journey, DAY, 12, "user")
    assert all(todays_tip(journey, DAY, 12, "user") == first for _ in range(5))


def test_no_tip_repeats_until_the_pool_is_used_up_and_then_a_new_round_starts() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    seen = [todays_tip(journey, DAY + timedelta(days=i), 12, "user") for i in range(12)]
    assert sorted(seen) == list(range(12))
    nxt = todays_tip(journey, DAY + timedelta(days=12), 12, "user")
    assert nxt != seen[-1]


def test_consecutive_days_never_repeat_a_tip_even_across_rounds() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    picks = [todays_tip(journey, DAY + timedelta(days=i), 10, "someone") for i in range(60)]
    assert all(a != b for a, b in itertools.pairwise(picks))


def test_a_new_stage_starts_a_fresh_pool() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    for i in range(5):
        todays_tip(journey, DAY + timedelta(days=i), 12, "user")
    journey.stage = Stage.CONFIDENCE
    todays_tip(journey, DAY + timedelta(days=5), 12, "user")
    assert bin(journey.tips_seen["confidence"]).count("1") == 1
    assert bin(journey.tips_seen["no_contact"]).count("1") == 5


def test_returning_to_a_stage_carries_on_with_its_pool_without_repeats() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    heard = [todays_tip(journey, DAY + timedelta(days=i), 12, "user") for i in range(7)]
    journey.stage = Stage.CONFIDENCE
    todays_tip(journey, DAY + timedelta(days=7), 12, "user")
    journey.stage = Stage.NO_CONTACT  # a slip
    later = [todays_tip(journey, DAY + timedelta(days=8 + i), 12, "user") for i in range(5)]
    assert sorted(heard + later) == list(range(12))


def test_different_users_get_different_orders() -> None:
    orders = set()
    for user in ("a", "b", "c", "d"):
        journey = Journey(stage=Stage.MOVING_ON)
        orders.add(tuple(todays_tip(journey, DAY + timedelta(days=i), 12, user) for i in range(6)))
    assert len(orders) > 1


def test_a_smaller_pool_in_another_language_still_gives_a_valid_tip() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    for i in range(11):
        todays_tip(journey, DAY + timedelta(days=i), 14, "user")
    assert 0 <= todays_tip(journey, DAY + timedelta(days=11), 10, "user") < 10


def test_no_tip_comes_back_within_seven_days_even_after_the_pool_is_used_up() -> None:
    for user in ("alice", "bob", "carol", "dave"):
        journey = Journey(stage=Stage.NO_CONTACT)
        picks = [todays_tip(journey, DAY + timedelta(days=i), 10, user) for i in range(100)]
        for i, tip in enumerate(picks):
            assert tip not in picks[max(0, i - 6) : i], (user, i, picks[max(0, i - 6) : i + 1])


def test_the_week_rule_survives_a_stage_round_trip() -> None:
    journey = Journey(stage=Stage.NO_CONTACT)
    picks = [todays_tip(journey, DAY + timedelta(days=i), 10, "user") for i in range(12)]
    journey.stage = Stage.CONFIDENCE
    todays_tip(journey, DAY + timedelta(days=12), 10, "user")
    journey.stage = Stage.NO_CONTACT
    back = todays_tip(journey, DAY + timedelta(days=13), 10, "user")
    assert back not in picks[-6:]
