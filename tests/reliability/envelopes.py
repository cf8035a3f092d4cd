"""Hypothesis strategies for Alexa request envelopes: realistic ones, then broken ones."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from skill.i18n import supported_locales
from tests.alexa import API_ENDPOINT, SKILL_ID

BASE_TIME = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

REQUEST_TYPES = (
    "LaunchRequest",
    "IntentRequest",
    "SessionEndedRequest",
    "CanFulfillIntentRequest",
    "Connections.Response",
    "System.ExceptionEncountered",
    "AlexaSkillEvent.SkillDisabled",
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillPermissionChanged",
    "Alexa.Presentation.APL.UserEvent",
    "Messaging.MessageReceived",
)
#: As in real traffic, most requests are intents: about one in two here.
WEIGHTED_TYPES = (*REQUEST_TYPES, *["IntentRequest"] * 10, "LaunchRequest")
INTENTS = (
    "LogDayIntent",
    "SlipIntent",
    "StreakIntent",
    "DailyTipIntent",
    "AmIReadyIntent",
    "ProgressIntent",
    "MeetingIntent",
    "MeetingOutcomeIntent",
    "MovedOnIntent",
    "StartOverIntent",
    "SetReminderIntent",
    "CancelReminderIntent",
    "DeleteDataIntent",
    "SupportIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.PauseIntent",
    "NoSuchIntent",
)
SLOTS = {
    "contact": ("CONTACT_STATUS", ("NONE", "SOME", "NECESSARY")),
    "activity": (
        "ACTIVITY",
        ("FRIENDS", "HOBBY", "NEW_LOOK", "DATING", "EXERCISE", "SELF_CARE", "NONE"),
    ),
    "outcome": ("MEETING_OUTCOME", ("AGAIN", "UNSURE", "NO_SPARK")),
    "confidence": ("AMAZON.NUMBER", ()),
    "time": ("AMAZON.TIME", ()),
}
SPOKEN = (
    "no contact",
    "we talked",
    "only about the kids",
    "gym",
    "saw friends",
    "a haircut",
    "nothing",
    "again",
    "no spark",
    "keine ahnung",
    "21:00",
    "07:30",
    "24:00",
    "EV",
    "MO",
    "7",
    "10",
    "1",
    "0",
    "11",
    "-3",
    "?",
    "999999",
    "1e9",
    "7.5",
    "٧",
    "７",
    " 8 ",
)
PENDING = (
    "safety",
    "worth",
    "log_offer",
    "tip_offer",
    "readiness_offer",
    "reminder_offer",
    "still_want",
    "no_spark",
    "moved_on",
    "start_over",
    "delete",
    "nonsense",
)
USERS = tuple(f"amzn1.ask.account.FUZZ{n}" for n in range(4))
DEVICES = ("amzn1.ask.device.BERLIN", "amzn1.ask.device.BADZONE", "amzn1.ask.device.DOWN")

#: Strings a person or a broken client might send: odd Unicode, control characters, SQL.
odd_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\u202e\u0000\ufeff",
            "'; DROP TABLE users; --",
            "<speak>&amp;</speak>",
            "]]><audio src='x'/>",
            "𝕟𝕠 𝕔𝕠𝕟𝕥𝕒𝕔𝕥",
            "\ud800",
            "Ω" * 300,
        ]
    ),
)
#: Up to about 100 KB, so web bodies sometimes pass the 128 KB limit and sometimes not.
huge_text = st.builds(
    lambda unit, times: unit * times,
    st.sampled_from(["a", "é", "日本", "🙂", "<", "&"]),
    st.integers(min_value=1_000, max_value=50_000),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    odd_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=6,
)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


sane_timestamps = st.integers(min_value=-40 * 86400, max_value=40 * 86400).map(
    lambda s: _iso(BASE_TIME + timedelta(seconds=s))
)
timestamps = st.one_of(
    sane_timestamps,
    st.integers(min_value=-40 * 86400, max_value=40 * 86400).map(
        lambda s: int((BASE_TIME + timedelta(seconds=s)).timestamp() * 1000)
    ),
    st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2026-02-30T10:00:00Z",
            "2026-03-01T12:00:00+14:00",
            "2026-03-01T12:00:00",
            "2026-03-01",
            "yesterday",
            "",
            "1e400",
            "99999999999999999999",
            -1,
            0,
            10**30,
            1.5,
            True,
        ]
    ),
    json_values,
)
locales = st.one_of(
    st.sampled_from([*supported_locales(), "xx-XX", "en", "EN-us", "en_US", "ja", "", "zh-CN"]),
    json_values,
)
user_ids = st.one_of(st.sampled_from(USERS), odd_text, json_values)


@st.composite
def slots(draw: st.DrawFn) -> dict[str, Any]:
    """Intent slots: known and unknown names, resolved or spoken, sane or not."""
    names = draw(st.lists(st.sampled_from([*SLOTS, "mood", ""]), max_size=4, unique=True))
    found: dict[str, Any] = {}
    for name in names:
        slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        value = draw(
            st.one_of(st.none(), st.sampled_from(SPOKEN), odd_text, huge_text, json_scalars)
        )
        if value is not None:
            slot["value"] = value
        slot_type, ids = SLOTS.get(name, ("UNKNOWN", ()))
        if ids and draw(st.booleans()):
            code = draw(st.sampled_from(["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "ER_ERROR"]))
            value_id = draw(st.one_of(st.sampled_from(ids), odd_text))
            slot["resolutions"] = {
                "resolutionsPerAuthority": [
                    {
                        "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{slot_type}",
                        "status": {"code": code},
                        "values": [{"value": {"name": str(value_id).lower(), "id": value_id}}],
                    }
                ]
            }
        found[name] = slot
    return found


@st.composite
def realistic_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """An envelope shaped the way Alexa sends them, with values drawn from wide ranges."""
    request_type = draw(st.sampled_from(WEIGHTED_TYPES))
    sane = draw(st.booleans())  # half the time, the values Alexa itself would send
    user_id = draw(st.sampled_from(USERS) if sane else user_ids)
    device = draw(st.sampled_from(DEVICES))
    interfaces: dict[str, Any] = {}
    if draw(st.booleans()):
        interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2024.2"}}
    system: dict[str, Any] = {
        "application": {"applicationId": SKILL_ID},
        "user": {"userId": user_id},
        "device": {"deviceId": device, "supportedInterfaces": interfaces},
        "apiEndpoint": API_ENDPOINT,
    }
    if draw(st.booleans()):
        system["apiAccessToken"] = "fuzz-api-token"
    if draw(st.booleans()):
        system["user"]["permissions"] = {
            "scopes": {"alexa::alerts:reminders:skill:readwrite": {"status": "GRANTED"}}
        }
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": f"amzn1.echo-api.request.{uuid.UUID(int=draw(st.integers(0, 2**64)))}",
        "timestamp": draw(sane_timestamps if sane else timestamps),
        "locale": draw(st.sampled_from(supported_locales()) if sane else locales),
    }
    if request_type == "IntentRequest":
        request["intent"] = {
            "name": draw(st.one_of(st.sampled_from(INTENTS), odd_text)),
            "confirmationStatus": "NONE",
            "slots": draw(slots()),
        }
        if draw(st.booleans()):
            request["dialogState"] = draw(st.sampled_from(["STARTED", "IN_PROGRESS", "WAT"]))
    elif request_type == "SessionEndedRequest":
        request["reason"] = draw(st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED", "??"]))
    elif request_type == "Connections.Response":
        request.update(
            name=draw(st.sampled_from(["AskFor", "Other"])),
            status={"code": "200", "message": "OK"},
            payload={"status": draw(st.sampled_from(["ACCEPTED", "DENIED", "NOT_ANSWERED"]))},
            token=draw(st.one_of(st.sampled_from(["reminder@21:00", "reminder@99:99"]), odd_text)),
        )
    elif request_type.startswith("AlexaSkillEvent."):
        request["body"] = draw(
            st.one_of(
                st.just({"acceptedPermissions": [{"scope": "alexa::profile:name:read"}]}),
                st.just({"userInformationPersistenceStatus": "NOT_PERSISTED"}),
                json_values,
            )
        )
    event: dict[str, Any] = {"version": "1.0", "context": {"System": system}, "request": request}
    if not request_type.startswith("AlexaSkillEvent.") or draw(st.booleans()):
        attributes = draw(
            st.one_of(
                st.just({}),
                st.fixed_dictionaries(
                    {},
                    optional={
                        "pending": st.sampled_from(PENDING),
                        "eliciting": st.sampled_from(["contact", "activity", "confidence", "x"]),
                        "log": st.fixed_dictionaries(
                            {},
                            optional={
                                "contact": st.sampled_from([*SLOTS["contact"][1], "MAYBE"]),
                                "activity": st.sampled_from([*SLOTS["activity"][1], "NAPPING"]),
                                "confidence": st.one_of(st.integers(-5, 15), odd_text),
                            },
                        ),
                    },
                ),
                json_values,
            )
        )
        event["session"] = {
            "new": draw(st.booleans()),
            "sessionId": "amzn1.echo-api.session.fuzz",
            "application": {"applicationId": SKILL_ID},
            "attributes": attributes,
            "user": {"userId": user_id},
        }
    return event


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path of keys and indexes into a JSON value, the value itself (()) first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


def _parent(event: Any, path: tuple[Any, ...]) -> Any:
    node = event
    for key in path[:-1]:
        node = node[key]
    return node


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """A realistic envelope, then up to three breakages: fields dropped or given wrong types."""
    event = draw(realistic_envelopes())
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        inside = paths(event)[1:]  # every path but the envelope itself
        if not inside:
            break
        path = draw(st.sampled_from(inside))
        parent = _parent(event, path)
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.one_of(json_values, huge_text))
    return copy.deepcopy(event)


def as_json(event: Any) -> bytes:
    """The body Alexa would post (surrogates escaped the way json.dumps does)."""
    return json.dumps(event).encode()
