"""Today's tip: the same all day, a different one tomorrow, no repeat until the pool is used."""

from __future__ import annotations

import hashlib
from datetime import date

from skill.domain.model import Journey


def _pick(seed: str, day: date, choices: list[int]) -> int:
    digest = hashlib.sha256(f"{seed}:{day.isoformat()}".encode()).digest()
    return choices[int.from_bytes(digest[:8], "big") % len(choices)]


def todays_tip(journey: Journey, today: date, pool_size: int, seed: str) -> int:
    """Return the index of today's tip in the stage's pool, updating the rotation state.

    Each stage keeps its own record of tips heard, so a user who slips back to an earlier
    stage carries on with that stage's pool instead of hearing it again from the start.
    `seed` makes the order differ between users; `pool_size` is the stage's tip count.
    """
    if pool_size <= 0:
        raise ValueError("a stage needs at least one tip")
    stage = str(journey.stage)
    if (
        journey.tip_day == today
        and journey.tip_stage == stage
        and journey.tip_index is not None
        and journey.tip_index < pool_size
    ):
        return journey.tip_index
    full = (1 << pool_size) - 1
    used = journey.tips_seen.get(stage, 0) & full
    if used == full:
        used = 0
    choices = [i for i in range(pool_size) if not used & (1 << i)]
    if len(choices) > 1 and journey.tip_stage == stage and journey.tip_index in choices:
        choices.remove(journey.tip_index)  # never the same tip two days running
    index = _pick(seed, today, choices)
    journey.tip_day = today
    journey.tip_stage = stage
    journey.tip_index = index
    journey.tips_seen = {**journey.tips_seen, stage: used | (1 << index)}
    return index
