"""read_envelope and write_envelope against ask-sdk-core's DefaultSerializer: the same objects
from the same envelopes, the same failures from broken ones, the same dicts on the way out."""

from __future__ import annotations

import copy
import json
import os
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar, cast

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Intent,
    IntentConfirmationStatus,
    Request,
    RequestEnvelope,
    Response,
    ResponseEnvelope,
    Slot,
    SlotConfirmationStatus,
)
from ask_sdk_model.dialog import ElicitSlotDirective
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import Reprompt, SimpleCard, SsmlOutputSpeech
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.alexa.envelope import read_envelope, write_envelope
from skill.alexa.screens import progress_document
from tests.alexa import FIXTURES, Alexa
from tests.reliability.envelopes import envelopes, json_values, odd_text, paths, timestamps

SDK = DefaultSerializer()
SIGNED_INDEX = FIXTURES / "signed" / "index.json"


def sdk_read(event: Any) -> Any:
    """What the skill did before: a JSON round trip, then the SDK's generic deserializer."""
    return SDK.deserialize(json.dumps(event), RequestEnvelope)


def assert_same(ours: Any, theirs: Any, path: str = "envelope") -> None:
    """Equal, and of the same types all the way down (== alone lets 1 pass for True, or a
    timezone.utc timestamp for dateutil's tzlocal())."""
    assert type(ours) is type(theirs), f"{path}: {type(ours)} is not {type(theirs)}"
    if isinstance(theirs, (datetime, date)):
        assert repr(ours) == repr(theirs), path
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs), path
        for key, value in theirs.items():
            assert_same(ours[key], value, f"{path}[{key!r}]")
    elif isinstance(theirs, (list, tuple)):
        assert len(ours) == len(theirs), path
        for index, (mine, sdks) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(mine, sdks, f"{path}[{index}]")
    elif isinstance(theirs, Enum):
        assert ours is theirs, path
    elif hasattr(theirs, "__dict__") and hasattr(type(theirs), "deserialized_types"):
        assert ours == theirs, path
        assert_same(vars(ours), vars(theirs), path)
    else:
        assert ours == theirs, path


def outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", action()
    except Exception as exc:
        return "error", exc


def assert_reads_as_the_sdk(event: Any) -> None:
    """Both build the same tree, or both raise SerializationException with the same words,
    and the SDK serializes both trees to the same dict (or fails on both the same way)."""
    if event is None:  # the SDK returns None; read_envelope promises an envelope or an error
        with pytest.raises(SerializationException):
            read_envelope(cast(Any, event))
        return
    original = copy.deepcopy(event)
    theirs = outcome(lambda: sdk_read(event))
    ours = outcome(lambda: read_envelope(event))
    assert event == original, "reading changed the event"
    if theirs[0] == "error":
        assert ours[0] == "error", f"the SDK raised {theirs[1]!r}, we read {ours[1]!r}"
        assert type(ours[1]) is type(theirs[1]) is SerializationException
        assert str(ours[1]) == str(theirs[1])
        return
    assert ours[0] == "ok", f"the SDK read it, we raised {ours[1]!r}"
    assert_same(ours[1], theirs[1])
    written_by_sdk = outcome(lambda: SDK.serialize(theirs[1]))
    written_ours = outcome(lambda: SDK.serialize(ours[1]))
    assert written_ours[0] == written_by_sdk[0]
    if written_by_sdk[0] == "ok":
        assert_same(written_ours[1], written_by_sdk[1])
    else:
        assert type(written_ours[1]) is type(written_by_sdk[1])


# -- recorded requests ------------------------------------------------------------------


def recorded_request_files() -> list[Any]:
    """Every request envelope in ../shared: the request fixtures and the signed bodies."""
    files = sorted((FIXTURES / "requests").glob("*.json"))
    if SIGNED_INDEX.exists():
        cases = json.loads(SIGNED_INDEX.read_text(encoding="utf-8"))["cases"]
        files += [FIXTURES / "signed" / case["body"] for case in cases]
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no fixtures in {FIXTURES}"))]
    return [pytest.param(path, id=path.name) for path in files]


@pytest.mark.parametrize("path", recorded_request_files())
def test_every_recorded_alexa_request_reads_as_the_sdk_reads_it(path: Path) -> None:
    event = json.loads(path.read_text(encoding="utf-8"))

    assert_reads_as_the_sdk(event)
    envelope: Any = read_envelope(event)
    assert envelope.request.request_id == event["request"]["requestId"]


@pytest.mark.parametrize("path", recorded_request_files())
def test_a_read_request_writes_back_to_the_dict_the_sdk_writes(path: Path) -> None:
    envelope = read_envelope(json.loads(path.read_text(encoding="utf-8")))

    assert_same(write_envelope(cast(Any, envelope)), SDK.serialize(envelope))


# -- envelopes from the test driver ---------------------------------------------------------


def driver_envelopes() -> list[dict[str, Any]]:
    """Every kind of request tests/alexa.py builds, on devices with and without extras."""
    sent: list[dict[str, Any]] = []

    def record(event: dict[str, Any], _context: Any) -> dict[str, Any]:
        sent.append(event)
        return {"version": "1.0", "sessionAttributes": {"coach": {"pending": "log_offer"}}}

    plain = Alexa(record)
    plain.launch()
    plain.say_yes()
    plain.intent("LogDayIntent", contact="no contact", activity=None, confidence="7")
    plain.intent(
        "LogDayIntent",
        dialog_state="IN_PROGRESS",
        resolutions={"contact": ("NONE", "CONTACT_STATUS"), "activity": None},
        contact="no contact",
        activity="painting",
    )
    plain.session_ended("ERROR")
    rich = Alexa(record, locale="de-DE", api_token="token", reminders_granted=True, apl=True)
    rich.launch()
    rich.intent("SetReminderIntent", dialog_state="STARTED", time="21:00")
    rich.connections_response("AskFor", "ACCEPTED", "reminder@21:00")
    rich.send(rich.envelope({"type": "AlexaSkillEvent.SkillEnabled", "body": {}}, new=False))
    rich.send(
        rich.envelope(
            {
                "type": "AlexaSkillEvent.SkillPermissionAccepted",
                "body": {
                    "acceptedPermissions": [{"scope": "alexa::alerts:reminders:skill:readwrite"}]
                },
            }
        )
    )
    rich.session_ended()
    return sent


DRIVER_ENVELOPES = driver_envelopes()


def test_the_driver_builds_every_kind_of_request_it_knows() -> None:
    kinds = {event["request"]["type"] for event in DRIVER_ENVELOPES}

    assert kinds == {
        "LaunchRequest",
        "IntentRequest",
        "SessionEndedRequest",
        "Connections.Response",
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillPermissionAccepted",
    }


@pytest.mark.parametrize(
    "event",
    DRIVER_ENVELOPES,
    ids=[f"{n}-{e['request']['type']}" for n, e in enumerate(DRIVER_ENVELOPES)],
)
def test_every_envelope_the_test_driver_sends_reads_as_the_sdk_reads_it(
    event: dict[str, Any],
) -> None:
    assert_reads_as_the_sdk(event)


# -- what the SDK does with odd input, one case at a time -----------------------------------


def intent_event() -> dict[str, Any]:
    event = copy.deepcopy(DRIVER_ENVELOPES[3])
    assert event["request"]["type"] == "IntentRequest"
    return event


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(event: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(event: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[key]
        del node[last]

    return change


SLOT = "request.intent.slots.contact"
QUIRKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "a number in a str field becomes its string": _set(f"{SLOT}.value", 5),
    "a dict in a str field becomes its repr": _set(f"{SLOT}.value", {"a": [1, None]}),
    "'false' in a bool field is True": _set("session.new", "false"),
    "0 in a bool field is False": _set("session.new", 0),
    "a list in a bool field is its truth": _set("session.new", []),
    "a number in a str field of the discriminator": _set("request.type", 5),
    "an unknown request type fails": _set("request.type", "Alexa.NoSuchRequest"),
    "a request without a type fails": _drop("request.type"),
    "an empty string where a model belongs is an empty model": _set("context", ""),
    "an empty list where a model belongs is an empty model": _set("context", []),
    "a non-empty string where a model belongs fails": _set("context", "System"),
    "a list of names where a model belongs fails": _set("context", ["System"]),
    "a number where a model belongs fails": _set("context", 7),
    "unknown keys become attributes with the raw value": _set("request.extra", {"x": [1]}),
    "a snake_case key overrides the mapped attribute": _set("request.request_id", [1, 2]),
    "a key named like a method shadows it": _set("session.to_dict", "shadowed"),
    "a key named __class__ fails": _set("request.intent.__class__", "x"),
    "a key named __dict__ replaces the whole object": _set("context.System.__dict__", {"a": 1}),
    "an unknown enum value fails": _set("request.dialogState", "HALFWAY"),
    "an enum given a number fails": _set("request.dialogState", 1),
    "a string where slots (a dict) belong fails": _set("request.intent.slots", "contact"),
    "a string where a list belongs is a list of its letters": _set(
        f"{SLOT}.resolutions.resolutionsPerAuthority", ""
    ),
    "a dict where a list of models belongs reads its keys": _set(
        f"{SLOT}.resolutions.resolutionsPerAuthority", {}
    ),
    "None anywhere is None": _set("request.intent", None),
    "nested None in a list stays None": _set(f"{SLOT}.resolutions.resolutionsPerAuthority", [None]),
    "a number where a timestamp belongs fails": _set("request.timestamp", 1767636000000),
    "an empty timestamp fails": _set("request.timestamp", ""),
    "a date alone is midnight": _set("request.timestamp", "2026-01-05"),
    "a timestamp without a zone is naive": _set("request.timestamp", "2026-01-05T18:00:00"),
    "a timestamp with fractions": _set("request.timestamp", "2026-01-05T18:00:00.1234567Z"),
    "a timestamp with an offset": _set("request.timestamp", "2026-01-05T18:00:00+05:30"),
    "a timestamp with a zero offset": _set("request.timestamp", "2026-01-05T18:00:00-00:00"),
    "a compact offset": _set("request.timestamp", "2026-01-05T18:00:00+0530"),
    "a timestamp written out in words": _set("request.timestamp", "Jan 5 2026 6pm UTC"),
    "a day that does not exist fails": _set("request.timestamp", "2026-02-30T10:00:00Z"),
    "hour 24 fails": _set("request.timestamp", "2026-01-05T24:00:00Z"),
    "an offset past a day": _set("request.timestamp", "2026-01-05T18:00:00+24:00"),
    "session attributes of any JSON shape": _set(
        "session.attributes", {"a": [{"b": None}, 1.5, True, "x"], "c": {}}
    ),
    "session attributes that are not a dict fail": _set("session.attributes", ["coach"]),
    "an int where a str field's value is a huge number": _set(f"{SLOT}.value", 10**30),
    "an int in a float field becomes a float": _set("context.Viewport", {"pixelWidth": 1024}),
    "digits in a float field are read": _set("context.Viewport", {"dpi": "160"}),
    "a word in a float field fails": _set("context.Viewport", {"pixelWidth": "wide"}),
    "a list in a float field stays a list": _set("context.Viewport", {"dpi": [160, {}]}),
    "a number too big for a float fails": _set("context.Viewport", {"dpi": 10**400}),
    "a float in an int field is truncated": _set(
        "context.AudioPlayer", {"offsetInMilliseconds": 7.9, "playerActivity": "IDLE"}
    ),
    "a word in an int field fails": _set("context.AudioPlayer", {"offsetInMilliseconds": "x"}),
    "true in an int field is 1": _set("context.AudioPlayer", {"offsetInMilliseconds": True}),
    "mappings and tuples read as their JSON would": _set(
        "session.attributes", OrderedDict(a=(1, OrderedDict(b=(2,))))
    ),
}


@pytest.mark.parametrize("change", QUIRKS.values(), ids=list(QUIRKS))
def test_each_quirk_of_the_sdk_is_reproduced(change: Callable[[dict[str, Any]], None]) -> None:
    event = intent_event()
    change(event)

    assert_reads_as_the_sdk(event)


@pytest.mark.parametrize("event", [[], "", [1], 0, "{}", {}], ids=repr)
def test_an_event_that_is_not_an_envelope_is_treated_as_the_sdk_treats_it(event: Any) -> None:
    assert_reads_as_the_sdk(event)


def test_no_event_at_all_is_an_error_rather_than_none() -> None:
    assert sdk_read(None) is None
    with pytest.raises(SerializationException):
        read_envelope(cast(Any, None))


def test_reading_copies_what_it_keeps_so_event_and_envelope_never_share_state() -> None:
    event = intent_event()
    event["session"]["attributes"] = {"coach": {"log": {"contact": "NONE"}, "seen": [1]}}
    event["request"]["extra"] = {"nested": [1]}
    envelope: Any = read_envelope(event)

    envelope.session.attributes["coach"]["log"]["contact"] = "SOME"
    envelope.session.attributes["coach"]["seen"].append(2)
    envelope.request.extra["nested"].append(2)

    assert event["session"]["attributes"] == {"coach": {"log": {"contact": "NONE"}, "seen": [1]}}
    assert event["request"]["extra"] == {"nested": [1]}


def test_session_attributes_nested_as_deep_as_json_allows_are_read() -> None:
    deep: Any = "bottom"
    for _ in range(3000):
        deep = [deep]
    event = intent_event()
    event["session"]["attributes"] = {"deep": deep}

    envelope: Any = read_envelope(event)

    node = envelope.session.attributes["deep"]
    depth = 0
    while isinstance(node, list):
        node, depth = node[0], depth + 1
    assert (node, depth) == ("bottom", 3000)


# -- timestamps in other time zones ------------------------------------------------------


@pytest.fixture(
    params=[
        "UTC",
        "Europe/London",
        "America/New_York",
        "Asia/Kolkata",
        "UTC-3",  # a POSIX zone called UTC that is three hours ahead
        "UTC0BST,M3.5.0/1,M10.5.0",  # called UTC in winter only
    ]
)
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's time zone, which decides what dateutil makes of "Z"."""
    zone: str = request.param
    named = "," not in zone and "/" in zone
    if named and not (Path("/usr/share/zoneinfo") / zone).exists():
        pytest.skip(f"no tz database entry for {zone}")
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield zone
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-01-05T18:00:00Z",
        "2026-07-05T18:00:00Z",
        "2026-03-29T01:30:00Z",
        "2026-07-05T18:00:00+00:00",
        "2026-07-05T18:00:00.5-00:00",
        "2026-07-05T18:00:00+01:00",
        "2026-07-05T18:00:00 UTC",
        "2026-07-05T18:00:00 GMT",
        "2026-07-05T18:00:00",
    ],
)
def test_timestamps_get_the_zone_dateutil_gives_them_in_any_local_zone(
    local_zone: str, stamp: str
) -> None:
    event = intent_event()
    event["request"]["timestamp"] = stamp

    assert_reads_as_the_sdk(event)


# -- broken envelopes, generated ---------------------------------------------------------

BASES = DRIVER_ENVELOPES + [
    json.loads(p.values[0].read_text(encoding="utf-8"))
    for p in recorded_request_files()
    if p.values[0] is not None
]
REQUEST_TYPES = sorted(
    {event["request"]["type"] for event in BASES}
    | {"Alexa.Presentation.APL.UserEvent", "Messaging.MessageReceived", "Dialog.API.Invoked"}
)
ATTRIBUTE_NAMES = ["object_type", "request_id", "to_dict", "deserialized_types", "attribute_map"]
iso_stamps = st.builds(
    lambda moment, fraction, zone: moment.isoformat(timespec=fraction) + zone,
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["seconds", "milliseconds", "microseconds", "minutes"]),
    st.sampled_from(["", "Z", "z", "+00:00", "-00:00", "+02:00", "-05:30", "+0530", "+23:59"]),
)
odd_values = st.one_of(json_values, odd_text, st.sampled_from(["", [], {}, 0, None, "5"]))


def _node(event: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        event = event[key]
    return event


@st.composite
def broken_envelopes(draw: st.DrawFn) -> Any:
    """A real or driver envelope with one to four things wrong with it."""
    event = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(event)))
        how = draw(
            st.sampled_from(["drop", "value", "none", "extra", "timestamp", "type", "empty"])
        )
        request = event.get("request") if isinstance(event, dict) else None
        if how == "timestamp" and isinstance(request, dict):
            request["timestamp"] = draw(st.one_of(iso_stamps, timestamps))
        elif how == "type" and isinstance(request, dict):
            request["type"] = draw(st.one_of(st.sampled_from(REQUEST_TYPES), odd_text))
        elif how in ("timestamp", "type"):
            continue
        elif not path:
            event = draw(odd_values) if how == "value" else event
        elif how == "extra" and isinstance(_node(event, path), dict):
            name = draw(st.one_of(st.sampled_from(ATTRIBUTE_NAMES), odd_text))
            _node(event, path)[name] = draw(odd_values)
        else:
            parent = _node(event, path[:-1])
            if how == "drop" and isinstance(parent, dict):
                del parent[path[-1]]
            elif how == "none":
                parent[path[-1]] = None
            elif how == "empty":
                parent[path[-1]] = draw(st.sampled_from(["", [], {}]))
            else:
                parent[path[-1]] = draw(odd_values)
    return event


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(event=st.one_of(broken_envelopes(), envelopes()))
def test_broken_envelopes_fail_or_read_exactly_as_the_sdk_would(event: Any) -> None:
    assert_reads_as_the_sdk(event)


# -- type strings no Alexa model uses yet ----------------------------------------------------

HERE = __name__


class Bare:
    """A model with deserialized_types but no attribute_map."""

    deserialized_types: ClassVar[dict[str, str]] = {"label": "str", "when": "date"}

    def __init__(self) -> None:
        self.label: Any = None
        self.when: Any = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]


class Guarded(Bare):
    """Setting attributes goes through a method."""

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)


class Shadowed(Bare):
    """A field with a class-level default of the same name."""

    label = "class default"


class QuirkyRequest(Request):
    """A request type whose fields use every kind of type string the SDK understands."""

    deserialized_types = {  # noqa: RUF012
        "object_type": "str",
        "request_id": "str",
        "timestamp": "datetime",
        "locale": "str",
        "day": "date",
        "pair": "list[str, int]",
        "broken_list": "list[",
        "broken_dict": "dict(str)",
        "missing": "ask_sdk_model.nope.Missing",
        "bare_enum": "Enum",
        "function": "cast",
        "number": "decimal.Decimal",
        "blob": "builtins.bytes",
        "floating": "float",
        "count": "long",
        "bare": f"{HERE}.Bare",
        "guarded": f"list[{HERE}.Guarded]",
        "shadowed": f"{HERE}.Shadowed",
        "table": f"dict(str, {HERE}.Bare)",
    }
    attribute_map = {  # noqa: RUF012
        "object_type": "type",
        "request_id": "requestId",
        "timestamp": "timestamp",
        "locale": "locale",
        "ghost": "ghost",
    }

    def __init__(self) -> None:
        super().__init__(object_type="Test.Quirky")
        for name in self.deserialized_types:
            if name != "object_type":
                setattr(self, name, None)


QUIRKY_VALUES = {
    "day": st.sampled_from(["2026-01-05", "2026-01-05T18:00:00Z", "Jan 5", "", 5, None]),
    "pair": st.sampled_from([["a", "7"], ["a", "7", "extra"], [1], "ab", [], 3, None]),
    "broken_list": st.sampled_from([5, [1], "x", None]),
    "broken_dict": st.sampled_from([5, {"a": 1}, "x", None]),
    "missing": st.sampled_from([{}, None, 1]),
    "bare_enum": st.sampled_from(["x", None]),
    "function": st.sampled_from([1, None]),
    "number": st.sampled_from([5, "5", {"a": [1]}, None]),
    "blob": st.sampled_from(["abc", 3, [1, 2], None]),
    "floating": st.sampled_from([1, "1.5", "x", True, [1], 10**400, None]),
    "count": st.sampled_from([1, "7", "7.5", 7.9, False, None]),
    "bare": st.sampled_from([{"label": 5, "when": "2026-01-05"}, {"when": "soon"}, "", []]),
    "guarded": st.sampled_from([[{"label": "x", "other": 1}], [{"when": 5}], [None], "ab"]),
    "shadowed": st.sampled_from([{"label": "x"}, {}, {"label": None}, {"when": []}]),
    "table": st.sampled_from([{"a": {"label": 1}}, {"a": None}, {"a": "x"}, [], None]),
    "ghost": st.sampled_from([1, None]),
}


@settings(max_examples=150, deadline=None, database=None)
@given(fields=st.fixed_dictionaries({}, optional=QUIRKY_VALUES))
def test_type_strings_no_alexa_model_uses_yet_still_read_as_the_sdk_reads_them(
    fields: dict[str, Any],
) -> None:
    event = intent_event()
    event["request"] = {"type": "Test.Quirky", "requestId": "r", **fields}

    with pytest.MonkeyPatch.context() as patch:
        # Alexa gains a request type, "Test.Quirky", read into QuirkyRequest.
        patch.setitem(Request.discriminator_value_class_map, "Test.Quirky", f"{HERE}.QuirkyRequest")
        assert_reads_as_the_sdk(event)


# -- responses -------------------------------------------------------------------------------


class Slotted:
    """A model without an instance dict."""

    __slots__ = ("label",)
    deserialized_types: ClassVar[dict[str, str]] = {"label": "str"}
    attribute_map: ClassVar[dict[str, str]] = {"label": "name"}

    def __init__(self, label: Any = None) -> None:
        self.label = label


class OddMap(Bare):
    """A model whose attribute_map is not a dict."""

    attribute_map: ClassVar[Any] = [("label", "name")]


def bare(cls: type[Bare], **values: Any) -> Bare:
    made = cls()
    for name, value in values.items():
        setattr(made, name, value)
    return made


class Mood(StrEnum):
    """The SDK returns a str enum as it is: it is a str before it is an Enum."""

    CALM = "calm"


class Tags(list[Any]):
    """A list subclass."""


def _without_label() -> Bare:
    """A model whose field is not set at all: the class attribute answers for it."""
    made = bare(Shadowed, when="today")
    del made.label
    return made


def ssml(text: str) -> SsmlOutputSpeech:
    return SsmlOutputSpeech(ssml=f"<speak>{text}</speak>")


def responses() -> dict[str, ResponseEnvelope]:
    updated = cast(Any, read_envelope(DRIVER_ENVELOPES[3])).request.intent
    built_intent = Intent(
        name="LogDayIntent",
        confirmation_status=IntentConfirmationStatus.NONE,
        slots={
            "contact": Slot(name="contact", value="no contact"),
            "confidence": Slot(name="confidence", confirmation_status=SlotConfirmationStatus.NONE),
        },
    )
    attributes: dict[str, object] = {
        "coach": {"pending": "log_offer", "log": {"contact": "NONE", "confidence": 7}},
        "seen": [1, 2.5, None, True, {"deep": [[], {}]}],
        "empty": None,
    }
    return {
        "spoken, with a reprompt and a card": ResponseEnvelope(
            version="1.0",
            session_attributes=attributes,
            response=Response(
                output_speech=ssml("How did today go?"),
                reprompt=Reprompt(output_speech=ssml("Did you have any contact?")),
                card=SimpleCard(title="Comeback Coach", content="Day 9 without contact"),
                should_end_session=False,
            ),
        ),
        "eliciting a slot of the intent that came in": ResponseEnvelope(
            version="1.0",
            session_attributes={},
            response=Response(
                output_speech=ssml("And what did you do today?"),
                directives=[ElicitSlotDirective(updated_intent=updated, slot_to_elicit="activity")],
            ),
        ),
        "eliciting a slot of an intent built by hand": ResponseEnvelope(
            version="1.0",
            response=Response(
                directives=[
                    ElicitSlotDirective(updated_intent=built_intent, slot_to_elicit="confidence")
                ],
                should_end_session=None,
            ),
        ),
        "an APL screen and the end of the session": ResponseEnvelope(
            version="1.0",
            user_agent="ask-python/1.19.0",
            response=Response(
                output_speech=ssml("Here is your week."),
                card=SimpleCard(title="Progress", content="9 days"),
                directives=[
                    RenderDocumentDirective(
                        token="progress",
                        document=progress_document(),
                        datasources={
                            "progress": {
                                "days": [{"kind": "none", "label": "Mo"}, {"kind": None}],
                                "title": "Woche",
                                "streak": 9,
                                "ratio": 0.75,
                            }
                        },
                    )
                ],
                should_end_session=True,
            ),
        ),
        "asking for the reminders permission": ResponseEnvelope(
            version="1.0",
            response=Response(
                directives=[
                    SendRequestDirective(
                        name="AskFor",
                        payload={
                            "@type": "AskForPermissionsConsentRequest",
                            "@version": "2",
                            "permissionScopes": [
                                {
                                    "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                                    "consentLevel": "ACCOUNT",
                                }
                            ],
                        },
                        token="reminder@21:00",
                    )
                ],
            ),
        ),
        "values the SDK converts: decimals, tuples, dates, enums": ResponseEnvelope(
            version="1.0",
            session_attributes={
                "whole": Decimal("7"),
                "part": Decimal("7.25"),
                "pair": ("a", 1, None),
                "day": date(2026, 1, 5),
                "at": datetime(2026, 1, 5, 18, 0),
                "status": SlotConfirmationStatus.CONFIRMED,
                "nested": {"list": [Decimal("1.5"), ("x",)]},
                "bytes": b"raw",
                "mood": Mood.CALM,
                "list subclass": Tags(["a", Decimal("2")]),
                "ordered": OrderedDict(b=1, a=[2]),
                "default": defaultdict(list, {"x": [date(2026, 1, 1)]}),
                "object with its own type map": SimpleNamespace(
                    deserialized_types={"a": "str", "b": "str", "c": "int"}, a="x", b=None, c=3
                ),
            },
            response=Response(),
        ),
        "models of every shape": ResponseEnvelope(
            session_attributes={
                "bare": bare(Bare, label="x", when=date(2026, 1, 5)),
                "guarded": bare(Guarded, label=Decimal("1.0")),
                "shadowed": bare(Shadowed),
                "unset": _without_label(),
                "slotted": [Slotted("x"), Slotted()],
            },
        ),
        "empty": ResponseEnvelope(),
    }


RESPONSES = responses()


@pytest.mark.parametrize("envelope", RESPONSES.values(), ids=list(RESPONSES))
def test_responses_are_written_to_the_dict_the_sdk_writes(envelope: ResponseEnvelope) -> None:
    written = write_envelope(envelope)

    assert_same(written, SDK.serialize(envelope))
    assert written == SDK.serialize(envelope)


def test_writing_builds_new_containers_so_the_answer_never_aliases_session_state() -> None:
    attributes: dict[str, object] = {"coach": {"log": {"contact": "NONE"}, "seen": [1]}}
    written = write_envelope(ResponseEnvelope(version="1.0", session_attributes=attributes))

    written["sessionAttributes"]["coach"]["seen"].append(2)

    assert attributes == {"coach": {"log": {"contact": "NONE"}, "seen": [1]}}


def test_a_model_the_sdk_cannot_write_fails_the_same_way() -> None:
    envelope = ResponseEnvelope(session_attributes={"odd": OddMap()})

    theirs = outcome(lambda: SDK.serialize(envelope))
    ours = outcome(lambda: write_envelope(envelope))

    assert theirs[0] == ours[0] == "error"
    assert type(ours[1]) is type(theirs[1]) is AttributeError


def test_a_model_carrying_its_own_type_map_is_written_as_the_sdk_writes_it() -> None:
    event = intent_event()
    event["request"]["intent"]["deserialized_types"] = {"name": "str"}
    intent = cast(Any, read_envelope(event)).request.intent
    envelope = ResponseEnvelope(
        response=Response(directives=[ElicitSlotDirective(updated_intent=intent)])
    )

    assert write_envelope(envelope) == SDK.serialize(envelope)
    assert "slots" not in write_envelope(envelope)["response"]["directives"][0]["updatedIntent"]
