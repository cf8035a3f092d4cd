"""Per-request context: who is asking, when, in which language, and the services' seams."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.alexa_api import REMINDERS_SCOPE, AlexaApi
from skill.db.uow import UnitOfWork
from skill.i18n import Strings
from skill.services import Caller

ATTR = "coach"


class Invocation:
    """What `CoachSkill.invoke` hands the SDK as its context: the raw event and the host's.
    (Plain classes here and below, not dataclasses: building a dataclass costs about a
    millisecond of every cold start.)"""

    __slots__ = ("event", "failed", "host_context")

    def __init__(self, event: Mapping[str, Any], host_context: Any = None) -> None:
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
        apl: bool = False,  # the device has a screen that renders APL
    ) -> None:
        self.strings = strings
        self.caller = caller
        self.uow = uow
        self.api = api
        self.request_id = request_id
        self.reminders_granted = reminders_granted
        self.apl = apl


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


def get(handler_input: HandlerInput) -> RequestContext:
    """The request's context, set up by the request interceptor."""
    ctx = handler_input.attributes_manager.request_attributes[ATTR]
    assert isinstance(ctx, RequestContext)
    return ctx


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def reminders_granted(event: Mapping[str, Any]) -> bool:
    """Whether the user has granted the reminders permission (scope status, or consent token)."""
    permissions = _dig(event, "context", "System", "user", "permissions")
    status = _dig(permissions, "scopes", REMINDERS_SCOPE, "status")
    if isinstance(status, str):
        return status == "GRANTED"
    return isinstance(_dig(permissions, "consentToken"), str)


def supports_apl(event: Mapping[str, Any]) -> bool:
    """Whether the device renders APL documents."""
    interfaces = _dig(event, "context", "System", "device", "supportedInterfaces")
    return isinstance(interfaces, Mapping) and "Alexa.Presentation.APL" in interfaces


def api_for(event: Mapping[str, Any], timeout: float) -> AlexaApi | None:
    """A client for the request's Alexa APIs, when the request carries a token."""
    endpoint = _dig(event, "context", "System", "apiEndpoint")
    token = _dig(event, "context", "System", "apiAccessToken")
    if isinstance(endpoint, str) and endpoint and isinstance(token, str) and token:
        return AlexaApi(endpoint, token, timeout=timeout)
    return None
