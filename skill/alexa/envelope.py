"""Alexa envelopes to and from ask_sdk_model objects, the way ask-sdk-core does it, but faster.

`DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)` re-encodes the event
as JSON, parses it again, then walks every model by reflection: for each value it matches
regular expressions on the type string, imports the class by name and rebuilds
`attribute_map`, and it hands every timestamp to `dateutil.parser.parse` (about 30 µs on
its own). On the way out, `serialize` rebuilds the attribute maps for every object too.

This module does the same work from the dict itself, with one reader compiled per model
class and cached. The result is meant to be indistinguishable from the SDK's, including
for broken input: primitives go through `klass(value)` as the SDK does ("5" for an int in a
str field, True for "false" in a bool field, a list left as it is in an int field), keys a
model does not know become plain attributes holding the raw value, discriminators are
resolved through the same `get_real_child_model`, and timestamps get the same tzinfo that
dateutil gives (`tzlocal()` for "Z" where the process's zone is called UTC). Whatever the
SDK turns into a `SerializationException`, so does this module.

Equivalence holds for JSON-native input, as `json.loads` returns it (the SDK only ever
sees the event after a JSON round trip). Values kept as they are (session attributes, unknown
keys) are copied, as the round trip copied them, so the envelope never shares state with the
event. The compiled readers and writers assume that a model class keeps its type maps for
the life of the process, as the generated ask_sdk_model classes do.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

try:
    from dateutil import tz as _tz  # type: ignore[import-untyped,unused-ignore]
except ImportError:  # the SDK then leaves timestamps as the strings it was given
    _tz = None

__all__ = ["read_envelope", "write_envelope"]

Reader = Callable[[Any], Any]
Writer = Callable[[Any], Any]

# As in ask_sdk_core.serialize.DefaultSerializer.
_PRIMITIVE_TYPES: tuple[type, ...] = (float, bool, bytes, str, int)
_NATIVE_TYPES: dict[str, type] = {
    "int": int,
    "long": int,
    "float": float,
    "str": str,
    "bool": bool,
    "date": date,
    "datetime": datetime,
    "object": object,
}
_SDK_MODULE = "ask_sdk_core.serialize"

# The one shape of timestamp Alexa sends (fractions and offsets included); anything else
# goes to dateutil, as in the SDK.
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def read_envelope(event: Mapping[str, Any]) -> RequestEnvelope:
    """The RequestEnvelope that the SDK's DefaultSerializer would build from `event`."""
    if event is None:
        # The SDK would return None here; a typed caller is better off with its exception.
        raise SerializationException("No request envelope to read")
    return cast(RequestEnvelope, _read_request_envelope(event))


def write_envelope(envelope: ResponseEnvelope) -> dict[str, Any]:
    """The dict that the SDK's DefaultSerializer().serialize(envelope) returns."""
    return cast(dict[str, Any], _write(envelope))


# -- reading ----------------------------------------------------------------------------

_TYPE_READERS: dict[str, Reader] = {}
_CLASS_READERS: dict[Any, Reader] = {}
_BUILDERS: dict[type, Reader] = {}
_CLASSES: dict[str, Any] = {}


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON containers (the SDK's values come fresh out of json.loads).

    Iterative, so that nesting as deep as json.loads accepts never hits the recursion limit.
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        if isinstance(value, dict):
            kind = dict
        elif isinstance(value, (list, tuple)):
            kind = list
        else:
            return value
    root: Any = {} if kind is dict else []
    pending: list[tuple[Any, Any]] = [(value, root)]
    while pending:
        source, target = pending.pop()
        items = source.items() if type(target) is dict else enumerate(source)
        for key, item in items:
            item_kind = type(item)
            if item_kind is not dict and item_kind is not list:
                if isinstance(item, dict):
                    item_kind = dict
                elif isinstance(item, (list, tuple)):
                    item_kind = list
            if item_kind is dict:
                copied: Any = {}
                pending.append((item, copied))
            elif item_kind is list:
                copied = []
                pending.append((item, copied))
            else:
                copied = item
            if type(target) is dict:
                target[key] = copied
            else:
                target.append(copied)
    return root


def _load_class(name: str) -> Any:
    """A class by its dotted name, as DefaultSerializer.__load_class_from_name finds it."""
    found = _CLASSES.get(name)
    if found is not None:
        return found
    try:
        parts = name.rsplit(".", 1)
        if len(parts) > 1:
            module = __import__(parts[0], fromlist=[parts[1]])
            found = getattr(module, parts[1])
        else:
            found = getattr(sys.modules[_SDK_MODULE], parts[0])
    except Exception as exc:
        raise SerializationException(
            f"Unable to resolve class {name} from installed modules: {exc}"
        ) from exc
    _CLASSES[name] = found
    return found


def _type_reader(spec: str) -> Reader:
    """The reader for one of the type strings in a model's `deserialized_types`."""
    reader = _TYPE_READERS.get(spec)
    if reader is None:
        reader = _TYPE_READERS[spec] = _compile_type(spec)
    return reader


def _lazy(spec: str) -> Reader:
    """The reader for `spec`, compiled when a value of that type first turns up: compiling
    imports the type's class, and most fields (APL, audio player, viewport interfaces...)
    are absent from most requests. The SDK, too, imports a class only for a value."""
    reader: Reader | None = None

    def read(payload: Any) -> Any:
        nonlocal reader
        if reader is None:
            reader = _type_reader(spec)
        return reader(payload)

    return read


def _compile_type(spec: str) -> Reader:
    if spec.startswith("list["):
        match = re.match(r"list\[(.*)\]", spec)
        if match is None:
            return _empty_list_reader
        inner = match.group(1)
        if "," in inner:
            return _mixed_list_reader([_lazy(part.strip()) for part in inner.split(",")])
        return _list_reader(_lazy(inner.strip()))
    if spec.startswith("dict("):
        match = re.match(r"dict\(([^,]*), (.*)\)", spec)
        if match is None:
            return _empty_dict_reader
        return _dict_reader(_lazy(match.group(2)))
    native = _NATIVE_TYPES.get(spec)
    if native is not None:
        return _class_reader(native)
    try:
        return _class_reader(_load_class(spec))
    except SerializationException:
        return _unresolved_reader(spec)


def _empty_list_reader(payload: Any) -> Any:
    return None if payload is None else []


def _empty_dict_reader(payload: Any) -> Any:
    return None if payload is None else {}


def _list_reader(item_reader: Reader) -> Reader:
    def read(payload: Any) -> Any:
        if payload is None:
            return None
        return [item_reader(item) for item in payload]

    return read


def _mixed_list_reader(item_readers: list[Reader]) -> Reader:
    def read(payload: Any) -> Any:
        if payload is None:
            return None
        return [reader(item) for item, reader in zip(payload, item_readers, strict=False)]

    return read


def _dict_reader(value_reader: Reader) -> Reader:
    def read(payload: Any) -> Any:
        if payload is None:
            return None
        return {key: value_reader(value) for key, value in payload.items()}

    return read


def _unresolved_reader(spec: str) -> Reader:
    # The SDK imports the class only when a value arrives, and tries again every time.
    def read(payload: Any) -> Any:
        if payload is None:
            return None
        return _class_reader(_load_class(spec))(payload)

    return read


def _class_reader(cls: Any) -> Reader:
    reader = _CLASS_READERS.get(cls)
    if reader is None:
        reader = _CLASS_READERS[cls] = _compile_class(cls)
    return reader


def _compile_class(cls: Any) -> Reader:
    if cls in _PRIMITIVE_TYPES:
        return _primitive_reader(cls)
    if cls is object:
        return _object_reader
    if cls is date:
        return _date_reader
    if cls is datetime:
        return _datetime_reader
    try:
        is_enum = issubclass(cls, Enum)
    except TypeError as exc:
        return _failing_reader(str(exc))
    if is_enum:
        return _enum_reader(cls)
    if hasattr(cls, "deserialized_types"):
        return _model_reader(cls)
    return _object_reader


def _failing_reader(message: str) -> Reader:
    def read(payload: Any) -> Any:
        if payload is None:
            return None
        raise SerializationException(message)

    return read


def _object_reader(payload: Any) -> Any:
    return _copy_json(payload)


def _primitive_reader(cls: type) -> Reader:
    def read(payload: Any) -> Any:
        if payload is None or type(payload) is cls:
            return payload
        try:
            return cls(payload)
        except UnicodeEncodeError:
            return str(payload)
        except TypeError:
            return _copy_json(payload)
        except ValueError as exc:
            raise SerializationException(
                f"Failed to parse {payload} into '{cls.__name__}' object"
            ) from exc

    return read


def _parse_like_sdk(payload: Any, cls: type) -> Any:
    """DefaultSerializer.__deserialize_datetime."""
    try:  # only timestamps of an unusual shape come here: a cold start need not import it
        from dateutil.parser import parse  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return _copy_json(payload)
    try:
        parsed = parse(payload)
        return parsed.date() if cls is date else parsed
    except ValueError as exc:
        raise SerializationException(
            f"Failed to parse {payload} into '{cls.__name__}' object"
        ) from exc


def _date_reader(payload: Any) -> Any:
    return None if payload is None else _parse_like_sdk(payload, date)


def _datetime_reader(payload: Any) -> Any:
    if payload is None:
        return None
    if type(payload) is str and _tz is not None:
        match = _ISO_DATETIME.fullmatch(payload)
        if match is not None:
            try:
                moment = datetime.fromisoformat(payload)
            except ValueError:
                return _parse_like_sdk(payload, datetime)
            designator = match.group(1)
            if designator is None:
                return moment
            if designator != "Z":
                seconds = int(designator[1:3]) * 3600 + int(designator[4:6]) * 60
                if seconds:
                    # dateutil: tzoffset(None, seconds) for any offset other than zero.
                    sign = -1 if designator[0] == "-" else 1
                    return moment.replace(tzinfo=_tz.tzoffset(None, sign * seconds))
            # dateutil calls a zero offset "UTC", and "UTC" that is also the local zone's
            # name becomes tzlocal(); a zone with a second, different name goes the long way.
            names = time.tzname
            if "UTC" not in names:
                return moment.replace(tzinfo=_tz.UTC)
            if names[0] == names[1]:
                return moment.replace(tzinfo=_local_zone())
    return _parse_like_sdk(payload, datetime)


_LOCAL_ZONES: dict[tuple[Any, ...], Any] = {}


def _local_zone() -> Any:
    """dateutil's tzlocal(), one per state of the process's time zone (it reads it once)."""
    key = (time.tzname, time.timezone, time.altzone, time.daylight)
    zone = _LOCAL_ZONES.get(key)
    if zone is None:
        zone = _LOCAL_ZONES[key] = _tz.tzlocal()
    return zone


def _enum_reader(cls: type[Enum]) -> Reader:
    members = {member.value: member for member in cls if type(member.value) is str}

    def read(payload: Any) -> Any:
        if payload is None:
            return None
        if type(payload) is str:
            member = members.get(payload)
            if member is not None:
                return member
        try:
            return cls(payload)
        except Exception as exc:
            raise SerializationException(str(exc)) from exc

    return read


def _model_reader(cls: Any) -> Reader:
    """DefaultSerializer.__deserialize_model for a class with `deserialized_types`."""
    if not hasattr(cls, "get_real_child_model"):
        return _builder(cls)

    def read(payload: Any) -> Any:
        if payload is None:
            return None
        try:
            name = cls.get_real_child_model(payload)
            if not name:
                raise SerializationException(
                    f"Couldn't resolve object by discriminator type for {cls} class"
                )
            target = _load_class(name)
        except SerializationException:
            raise
        except Exception as exc:
            raise SerializationException(str(exc)) from exc
        return _builder(target)(payload)

    return read


class _Never:
    """A type no JSON value has."""


_EXACT: dict[str, type] = {"str": str, "int": int, "long": int, "float": float, "bool": bool}


class _Plan:
    """What the SDK works out afresh for every object of a model class, worked out once."""

    def __init__(self, cls: Any) -> None:
        types: dict[str, str] = cls.deserialized_types
        # The SDK's attribute_map.update(): attributes it does not map keep their own name.
        attribute_map: dict[str, str] = dict(getattr(cls, "attribute_map", {}))
        for name in types:
            attribute_map.setdefault(name, name)
        self.fields = tuple(
            (attr, key, _field_reader(types, attr)) for attr, key in attribute_map.items()
        )
        self.known_list = list(attribute_map.values())
        self.known = frozenset(self.known_list)
        # The fast path stores a value of the field's own primitive type as it is, since
        # klass(value) would return it unchanged.
        self.by_key = {
            key: (attr, _EXACT.get(types.get(attr, ""), _Never), reader)
            for attr, key, reader in self.fields
        }
        self.fast = (
            len(self.by_key) == len(self.fields)
            and all(attr in types for attr in attribute_map)
            and _plain_attributes(cls, attribute_map)
        )


def _field_reader(types: dict[str, str], attr: str) -> Reader:
    if attr in types:
        return _lazy(types[attr])

    # attribute_map names an attribute that deserialized_types lacks: the SDK's lookup fails.
    def read(payload: Any) -> Any:
        raise KeyError(attr)

    return read


def _plain_attributes(cls: Any, attributes: Iterable[str]) -> bool:
    """Whether setting these attributes is just storing them in the instance dict, and
    reading them back just looking there (no class attribute or descriptor by that name)."""
    if getattr(cls, "__setattr__", None) is not object.__setattr__:
        return False
    names = list(attributes)
    for klass in getattr(cls, "__mro__", ()):
        if klass is object:
            continue
        namespace = vars(klass)
        if "__slots__" in namespace or any(name in namespace for name in names):
            return False
    return True


def _builder(cls: Any) -> Reader:
    """The reader that builds a `cls` object from its payload, compiled on first use."""
    cached = _BUILDERS.get(cls)
    if cached is not None:
        return cached
    plan: _Plan | None = None
    fast = False
    by_key: dict[str, tuple[str, type, Reader]] = {}
    known: frozenset[str] = frozenset()

    def build_as_sdk(payload: Any, plan: _Plan) -> Any:
        obj = cls()
        for attr, key, reader in plan.fields:
            if key in payload:
                setattr(obj, attr, reader(payload[key]))
        # For a string, list or number where a model belongs, this gives an empty model
        # for "" and [] and fails for anything else, as in the SDK.
        for param in [param for param in payload if param not in plan.known_list]:
            setattr(obj, param, _copy_json(payload[param]))
        return obj

    def build(payload: Any) -> Any:
        nonlocal plan, fast, by_key, known
        if payload is None:
            return None
        try:
            if plan is None:
                compiled = _Plan(cls)
                fast, by_key, known = compiled.fast, compiled.by_key, compiled.known
                # Last, so that another thread seeing a plan also sees the names set above.
                plan = compiled
            if not fast or type(payload) is not dict:
                return build_as_sdk(payload, plan)
            obj = cls()
            state = obj.__dict__
            extra = False
            try:
                # Payloads carry a few of a model's many keys: walk the payload, not the model.
                for key, value in payload.items():
                    if key in by_key:
                        attr, exact, reader = by_key[key]
                        if value is None or type(value) is exact:
                            state[attr] = value
                        else:
                            state[attr] = reader(value)
                    else:
                        extra = True
            except Exception:
                # Bad input: take the SDK's path, so that the error is the one it meets first.
                return build_as_sdk(payload, plan)
            if extra:
                for param, value in payload.items():
                    if param not in known:
                        setattr(obj, param, _copy_json(value))
            return obj
        except SerializationException:
            raise
        except Exception as exc:
            raise SerializationException(str(exc)) from exc

    _BUILDERS[cls] = build
    return build


_read_request_envelope = _class_reader(RequestEnvelope)


# -- writing ----------------------------------------------------------------------------

_WRITERS: dict[type, Writer] = {}
# Values that serialize to themselves; tested before calling _write, which costs more.
_AS_IS = frozenset({str, bool, int, float, type(None)})


def _write(obj: Any) -> Any:
    """DefaultSerializer.serialize."""
    kind = type(obj)
    if kind is str or kind is bool or kind is int or kind is float or obj is None:
        return obj
    if kind is dict:
        return {
            key: value if type(value) in _AS_IS else _write(value) for key, value in obj.items()
        }
    if kind is list:
        return [item if type(item) in _AS_IS else _write(item) for item in obj]
    writer = _WRITERS.get(kind)
    if writer is None:
        writer = _writer_for(kind)
    return writer(obj)


def _writer_for(kind: type) -> Writer:
    """How the SDK treats objects of this type (its isinstance checks, in its order)."""
    writer: Writer
    if issubclass(kind, _PRIMITIVE_TYPES):
        writer = _same
    elif issubclass(kind, list):
        writer = _write_list
    elif issubclass(kind, tuple):
        writer = _write_tuple
    elif issubclass(kind, (datetime, date)):
        writer = _write_isoformat
    elif issubclass(kind, Enum):
        writer = _write_enum
    elif issubclass(kind, Decimal):
        writer = _write_decimal
    elif issubclass(kind, dict):
        writer = _write_dict
    elif isinstance(getattr(kind, "deserialized_types", None), dict):
        writer = _model_writer(kind)
    else:
        # Only the instance can say what it holds; ask it every time.
        return _write_model_as_sdk
    _WRITERS[kind] = writer
    return writer


def _same(obj: Any) -> Any:
    return obj


def _write_list(obj: Any) -> Any:
    return [_write(item) for item in obj]


def _write_tuple(obj: Any) -> Any:
    return tuple(_write(item) for item in obj)


def _write_isoformat(obj: Any) -> Any:
    return obj.isoformat()


def _write_enum(obj: Any) -> Any:
    return obj.value


def _write_decimal(obj: Any) -> Any:
    if obj % 1 == 0:
        return int(obj)
    return float(obj)


def _write_dict(obj: Any) -> Any:
    return {key: _write(value) for key, value in obj.items()}


def _model_writer(kind: type) -> Writer:
    types = getattr(kind, "deserialized_types")  # noqa: B009
    attribute_map = getattr(kind, "attribute_map", {})
    if not isinstance(attribute_map, dict):
        return _write_model_as_sdk
    fields = tuple((attr, attribute_map.get(attr, attr)) for attr in types)
    # Where reading an attribute is just a lookup in the instance dict, look there directly.
    plain = getattr(kind, "__getattribute__", None) is object.__getattribute__ and (
        _plain_attributes(kind, types)
    )

    def write(obj: Any) -> Any:
        state = getattr(obj, "__dict__", None)
        if state is None:
            return write_by_getattr(obj)
        if "deserialized_types" in state or "attribute_map" in state:
            return _write_model_as_sdk(obj)
        if not plain:
            return write_by_getattr(obj)
        result: dict[str, Any] = {}
        for attr, key in fields:
            value = state[attr] if attr in state else getattr(obj, attr)
            if value is not None:
                result[key] = value if type(value) in _AS_IS else _write(value)
        return result

    def write_by_getattr(obj: Any) -> Any:
        result: dict[str, Any] = {}
        for attr, key in fields:
            value = getattr(obj, attr)
            if value is not None:
                result[key] = _write(value)
        return result

    return write


def _write_model_as_sdk(obj: Any) -> Any:
    """The SDK's model branch, word for word, for objects that carry their own type maps."""
    class_attribute_map = getattr(obj, "attribute_map", {})
    # .keys() as in the SDK: it decides which error a malformed type map raises.
    class_attribute_map.update(
        {k: k for k in obj.deserialized_types.keys() if k not in class_attribute_map}  # noqa: SIM118
    )
    obj_dict = {
        class_attribute_map[attr]: getattr(obj, attr)
        for attr, _ in obj.deserialized_types.items()
        if getattr(obj, attr) is not None
    }
    return {key: _write(value) for key, value in obj_dict.items()}
