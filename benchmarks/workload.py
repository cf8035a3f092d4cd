"""The requests a benchmark sends and the users it sends them for.

- `mix`: the realistic request mix (launch, a day log with every slot, streak, tip,
  am-I-ready, progress), one-shot sessions the way people use the skill.
- `seed_pool`: users who onboarded `days` ago and logged every day since, driven through a
  skill's own handler (ours or the peer), so every row and running total is that skill's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import cycle
from typing import Any

from benchmarks.common import NOW, Handler
from tests.alexa import Alexa, Turn

#: (spoken, id) of the ACTIVITY slot, varied so the readiness check sees several activities.
ACTIVITIES = (
    ("gym", "EXERCISE"),
    ("saw friends", "FRIENDS"),
    ("painting", "HOBBY"),
    ("a haircut", "NEW_LOOK"),
    ("meditation", "SELF_CARE"),
)
MIX = ("launch", "log day", "streak", "tip", "am I ready", "progress")


def user_id(prefix: str, n: int) -> str:
    """An Alexa-looking user id."""
    return f"amzn1.ask.account.{prefix.upper()}{n:08d}"


class Device(Alexa):
    """The test driver, plus envelopes built without being sent."""

    def __init__(self, handler: Handler, **kwargs: Any) -> None:
        kwargs.setdefault("now", NOW)
        super().__init__(handler, **kwargs)

    def one_shot(self, request: dict[str, Any]) -> dict[str, Any]:
        """An envelope that opens a new session ("Alexa, ask comeback coach ...")."""
        self.end_session()
        event = self.envelope(request)
        self.end_session()
        return event

    def intent_event(self, name: str, **slots: str | tuple[str, str]) -> dict[str, Any]:
        """A one-shot IntentRequest; a (spoken, id) slot carries an ER_SUCCESS_MATCH."""
        built: dict[str, Any] = {}
        for slot, value in slots.items():
            entry: dict[str, Any] = {"name": slot, "confirmationStatus": "NONE"}
            if isinstance(value, tuple):
                spoken, value_id = value
                entry["value"] = spoken
                entry["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {
                            "authority": f"amzn1.er-authority.echo-sdk.{self.skill_id}.{slot}",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": spoken, "id": value_id}}],
                        }
                    ]
                }
            else:
                entry["value"] = value
            built[slot] = entry
        return self.one_shot(
            {
                "type": "IntentRequest",
                "intent": {"name": name, "confirmationStatus": "NONE", "slots": built},
            }
        )


def mix(device: Device, n: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """The realistic mix for one user, as (kind, event); `n` varies the day log."""
    spoken, activity = ACTIVITIES[n % len(ACTIVITIES)]
    return [
        ("launch", device.one_shot({"type": "LaunchRequest"})),
        (
            "log day",
            device.intent_event(
                "LogDayIntent",
                contact=("no contact", "NONE"),
                activity=(spoken, activity),
                confidence=str(6 + n % 4),
            ),
        ),
        ("streak", device.intent_event("StreakIntent")),
        ("tip", device.intent_event("DailyTipIntent")),
        ("am I ready", device.intent_event("AmIReadyIntent")),
        ("progress", device.intent_event("ProgressIntent")),
    ]


def check_answers(handler: Handler, device: Device) -> None:
    """Send the mix once; every answer must speak, and none may be an apology (a skill that
    fails fast would otherwise look fast)."""
    for kind, event in mix(device):
        speech = Turn(handler(event, None)).speech
        if not speech or "went wrong" in speech:
            raise RuntimeError(f"{kind}: not a real answer: {speech!r}")


def rounds_of(devices: Sequence[Device]) -> Callable[[int], list[tuple[str, dict[str, Any]]]]:
    """Round r's requests: the mix for the r-th user of the pool (cycling)."""
    return lambda r: mix(devices[r % len(devices)], r)


def seed_journey(handler: Handler, who: str, days: int, now: datetime = NOW) -> None:
    """Onboard `days` days before `now` and log every day up to yesterday, through `handler`."""
    device = Device(handler, user_id=who, now=now - timedelta(days=days))
    device.onboard()
    activities = cycle(ACTIVITIES)
    for i in range(days):
        event = device.intent_event(
            "LogDayIntent",
            contact=("no contact", "NONE"),
            activity=next(activities),
            confidence=str(6 + i % 4),
        )
        turn = device.send(event)
        if "logged" not in turn.speech and "updated" not in turn.speech:
            raise RuntimeError(f"seeding failed on day {i}: {turn.speech!r}")
        device.next_day()


def seed_pool(handler: Handler, prefix: str, size: int, days: int) -> list[Device]:
    """`size` users with `days` days of daily logs up to NOW, each driven through `handler`;
    returns a device for each, holding the same user ids whichever skill they talk to."""
    ids = [user_id(prefix, n) for n in range(size)]
    for who in ids:
        seed_journey(handler, who, days)
    return [Device(handler, user_id=who) for who in ids]
