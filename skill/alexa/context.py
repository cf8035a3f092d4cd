"""The request context: the raw event read in one place, and what every handler needs.

`read_event` is the only code that digs in the raw request envelope (the SDK's model is
read by handlers for intents and slots; everything else about who, when and where comes
from here): the user, the skill id, the instant, the locale, the Alexa API endpoint and
token, the device's screen and the reminders permission.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from skill.alexa.alexa_api import REMINDERS_SCOPE

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

    from skill.alexa.alexa_api import AlexaApi
    from skill.db.uow import UnitOfWork
    from skill.i18n import Strings
    from skill.services import Caller

ATTR = "coach"
#: The deepest nesting a request envelope may have. Alexa's own are about 10 deep; deeper
#: ones would only exhaust the parser's and the SDK's recursion.
MAX_EVENT_DEPTH = 64
#: Session attributes are the skill's own small state, echoed back on every reply: deeper or
#: bigger (as sent, in JSON) than this they are not ours, and are dropped.
MAX_SESSION_ATTRIBUTES_DEPTH = 16
MAX_SESSION_ATTRIBUTES_BYTES = 8 * 1024


def dig(data: Any, *path: str) -> Any:
    """`data[path[0]][path[1]]…`, or None where a step is missing or not a mapping."""
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def deeper_than(value: Any, limit: int) -> bool:
    """Whether dicts and lists nest more than `limit` levels deep (counted level by level,
    without recursing, so any depth is safe to ask about)."""
    level, depth = [value], 1
    while level:
        inner: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                children: Any = item.values()
            elif isinstance(item, list):
                children = item
            else:
                continue
            if depth > limit:
                return True
            inner.extend(children)
        level, depth = inner, depth + 1
    return False


def _json_clean(value: Any, limit: int) -> bool:
    """Plain JSON no deeper than `limit`: string keys, finite numbers, no other types."""
    level, depth = [value], 1
    while level:
        inner: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                if depth > limit or not all(isinstance(key, str) for key in item):
                    return False
                inner.extend(item.values())
            elif isinstance(item, list):
                if depth > limit:
                    return False
                inner.extend(item)
            elif isinstance(item, float):
                if not math.isfinite(item):
                    return False
            elif item is not None and not isinstance(item, (str, int)):
                return False
        level, depth = inner, depth + 1
    return True


def session_attributes_usable(attributes: Any) -> bool:
    """Whether a request's `session.attributes` can be taken and echoed back as they are: an
    object of plain JSON (no NaN or Infinity, string keys), shallow and at most 8 KB."""
    if not isinstance(attributes, Mapping) or not _json_clean(
        attributes, MAX_SESSION_ATTRIBUTES_DEPTH
    ):
        return False
    try:
        size = len(json.dumps(attributes).encode())  # as Lambda's runtime and Flask write it
    except ValueError:  # an integer too long to write out
        return False
    return size <= MAX_SESSION_ATTRIBUTES_BYTES


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class Event(NamedTuple):
    """What the raw envelope says about the request, beyond its intent and slots."""

    request_id: Any  # as sent: only logged when it looks like Alexa's own identifiers
    request_type: Any
    intent_name: Any
    user_id: str | None  # never stored or logged as such
    skill_id: str | None
    locale: str | None
    timestamp: Any
    api_endpoint: str | None
    api_token: str | None
    device_id: str | None
    apl: bool  # the device renders APL documents
    reminders_granted: bool


def read_event(event: Mapping[str, Any]) -> Event:
    """Read the raw envelope once (the `context.System`, or the older `session`, fields)."""
    system = dig(event, "context", "System")
    session = dig(event, "session")
    permissions = dig(system, "user", "permissions")
    status = dig(permissions, "scopes", REMINDERS_SCOPE, "status")
    if isinstance(status, str):
        granted = status == "GRANTED"
    else:
        granted = isinstance(dig(permissions, "consentToken"), str)
    interfaces = dig(system, "device", "supportedInterfaces")
    request = dig(event, "request")
    return Event(
        request_id=dig(request, "requestId"),
        request_type=dig(request, "type"),
        intent_name=dig(request, "intent", "name"),
        user_id=_text(dig(system, "user", "userId")) or _text(dig(session, "user", "userId")),
        skill_id=_text(dig(system, "application", "applicationId"))
        or _text(dig(session, "application", "applicationId")),
        locale=_text(dig(request, "locale")),
        timestamp=dig(request, "timestamp"),
        api_endpoint=_text(dig(system, "apiEndpoint")),
        api_token=_text(dig(system, "apiAccessToken")),
        device_id=_text(dig(system, "device", "deviceId")),
        apl=isinstance(interfaces, Mapping) and "Alexa.Presentation.APL" in interfaces,
        reminders_granted=granted,
    )


def parse_timestamp(value: object) -> datetime:
    """`request.timestamp` as an aware UTC instant (ISO 8601 or epoch milliseconds)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str) and value:
        text = value.strip()
        if text.isdigit():
            return parse_timestamp(int(text))
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    raise ValueError("request has no usable timestamp")


class Invocation:
    """What `CoachSkill.invoke` hands the SDK as its context: the event as read, and the
    host's own context. (Plain slotted classes here: a dataclass costs about a millisecond
    of every cold start to build.)"""

    __slots__ = ("event", "failed", "host_context")

    def __init__(self, event: Event, host_context: Any = None) -> None:
        self.event = event
        self.host_context = host_context
        self.failed = False  # set by the exception handler


class RequestContext:
    """Everything a handler needs besides the SDK's handler input."""

    __slots__ = ("api", "apl", "caller", "reminders_granted", "request_id", "strings", "uow")

    def __init__(
        self,
        strings: Strings,
        caller: Caller | None,  # None when the request carries no user id
        uow: Callable[[], UnitOfWork],
        api: AlexaApi | None = None,  # None when the request carries no API token
        request_id: str | None = None,
        reminders_granted: bool = False,
        apl: bool = False,
    ) -> None:
        self.strings = strings
        self.caller = caller
        self.uow = uow
        self.api = api
        self.request_id = request_id
        self.reminders_granted = reminders_granted
        self.apl = apl

    def user(self) -> Caller:
        """The caller, for handlers that need one (a request without a user, or from an
        instant nothing may be stored for, gets the apology)."""
        if self.caller is None:
            raise NoCaller("request has no user, or no instant to store anything at")
        return self.caller


class NoCaller(LookupError):
    """A handler needs the user and the request's instant, and the request lacks one."""


def get(handler_input: HandlerInput) -> RequestContext:
    """The request's context, set up by the request interceptor."""
    ctx = handler_input.attributes_manager.request_attributes[ATTR]
    assert isinstance(ctx, RequestContext)
    return ctx
