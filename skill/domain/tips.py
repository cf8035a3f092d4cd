"""Today's tip: the same all day, a different one tomorrow, no repeat until the pool is used,
and none heard in the last week even when a used-up pool starts again."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from skill.domain import rules
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
    week_ago = today - timedelta(days=rules.TIP_REPEAT_DAYS)
    recent = [r for r in journey.recent_tips if _heard_on(r) > week_ago]
    this_week = {int(r.rsplit("/", 1)[1]) for r in recent if r.split("/")[1] == stage}
    full = (1 << pool_size) - 1
    used = journey.tips_seen.get(stage, 0) & full
    if used == full:
        used = 0
    choices = [i for i in range(pool_size) if not used & (1 << i) and i not in this_week]
    if not choices:  # a pool smaller than a week: the longest unheard first
        choices = [i for i in range(pool_size) if i not in this_week] or list(range(pool_size))
    if len(choices) > 1 and journey.tip_stage == stage and journey.tip_index in choices:
        choices.remove(journey.tip_index)  # never the same tip two days running
    index = _pick(seed, today, choices)
    journey.tip_day = today
    journey.tip_stage = stage
    journey.tip_index = index
    journey.tips_seen = {**journey.tips_seen, stage: used | (1 << index)}
    journey.recent_tips = [*recent, f"{today.isoformat()}/{stage}/{index}"]
    return index


def _heard_on(record: str) -> date:
    return date.fromisoformat(record.split("/", 1)[0])
