"""build_skill(): the one builder the Lambda handler, the web app and the console share.

A request is read once: `skill.alexa.context.read_event` takes what the raw envelope says
about who, when and where, and ask-sdk-core's own `DefaultSerializer` turns it into the
SDK's model for the handlers, and the handlers' response back into JSON.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Request, RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.ui import Reprompt, SsmlOutputSpeech

from skill.alexa import context, dialog, handlers
from skill.alexa.alexa_api import AlexaApi
from skill.alexa.context import Event, read_event
from skill.alexa.errors import CatchAllExceptionHandler
from skill.alexa.speech import Reply
from skill.config import Settings
from skill.db.database import Database, make_database
from skill.db.migrate import ensure_schema
from skill.db.uow import UnitOfWork, unit_of_work
from skill.i18n import Strings, resolve_locale
from skill.services import Caller, hash_user_id

#: One JSON line per request, and nothing else.
log = logging.getLogger("skill.requests")
#: Everything else worth a line (no user data either).
problems = logging.getLogger("skill.app")

#: The console's stand-in for the Settings API: the zone of the user a raw event is from.
ZoneLookup = Callable[[Mapping[str, Any]], str | None]


class Skill(Protocol):
    """What the hosts need of the skill (`CoachSkill`): the web app, the console, tests' fakes."""

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """Answer one request envelope with a response envelope."""
        ...

    def database_ok(self) -> bool:
        """Whether the database answers (for health checks)."""
        ...


class SkillIdMismatch(Exception):
    """The request is for another skill (ALEXA_SKILL_ID is set and differs)."""


def user_id(event: Mapping[str, Any]) -> str | None:
    """The Alexa user id of a request (never stored or logged as such)."""
    return read_event(event).user_id


def load_pepper(settings: Settings) -> str:
    """USER_ID_PEPPER, or for a local install a random secret kept in the data folder."""
    if settings.user_id_pepper:
        return settings.user_id_pepper
    path = Path(settings.data_dir) / "user-id-pepper"
    if not path.exists():
        import secrets  # only a local install's first start makes a key

        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then linked into place: a process starting at the same moment
        # either finds no file or the whole key, never a half-written one.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_hex(32), encoding="ascii")
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process won; use its key
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip()


class _RequestSetup(AbstractRequestInterceptor):
    """Builds the request context: language, hashed user, now, Alexa's APIs, the zone."""

    def __init__(self, coach: CoachSkill) -> None:
        self.coach = coach

    def process(self, handler_input: HandlerInput) -> None:
        invocation = handler_input.context
        assert isinstance(invocation, _Invocation)
        event = invocation.event
        strings = Strings(resolve_locale(event.locale))
        api = None
        if event.api_endpoint and event.api_token:
            settings = self.coach.settings
            if settings.allows_api_endpoint(event.api_endpoint):
                timeout = settings.settings_api_timeout
                api = AlexaApi(event.api_endpoint, event.api_token, timeout=timeout)
            else:  # never send the token elsewhere; the zone is then the last known
                problems.warning("apiEndpoint is not one of Alexa's API hosts; no API call")
        caller = None
        if event.user_id is not None:
            caller = Caller(
                user_hash=hash_user_id(event.user_id, self.coach.pepper),
                locale=strings.locale,
                now=_now(event),
                zone_lookup=self.coach.zone_lookup_for(invocation, api),
            )
        handler_input.attributes_manager.request_attributes[context.ATTR] = context.RequestContext(
            strings=strings,
            caller=caller,
            uow=self.coach.unit_of_work,
            api=api,
            request_id=event.request_id if isinstance(event.request_id, str) else None,
            reminders_granted=event.reminders_granted,
            apl=event.apl,
        )
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        dialog.forget_unanswered(handler_input, getattr(intent, "name", None))


class _Invocation(context.Invocation):
    """The SDK's context for one request: the event as read, and the raw one for the
    console's zone lookup."""

    __slots__ = ("raw",)

    def __init__(self, raw: Mapping[str, Any], event: Event, host_context: Any) -> None:
        super().__init__(event, host_context)
        self.raw = raw


def _now(event: Event) -> datetime:
    try:
        return context.parse_timestamp(event.timestamp)
    except (ValueError, OverflowError, OSError):
        problems.warning("request timestamp unusable; using the server clock")
        return datetime.now(UTC)


#: What a request id, type or intent name looks like; anything else is not logged.
_LOGGABLE = re.compile(r"[A-Za-z0-9._:\-]{1,160}")


def _loggable(value: object) -> str | None:
    return value if isinstance(value, str) and _LOGGABLE.fullmatch(value) else None


def _log_line(event: Event | None, outcome: str, started: float) -> None:
    """One JSON line per request: id, type, intent, outcome, latency. Never user data:
    fields that don't look like Alexa's own identifiers are left out."""
    if not log.isEnabledFor(logging.INFO):
        return
    log.info(
        json.dumps(
            {
                "request_id": _loggable(event.request_id) if event else None,
                "type": _loggable(event.request_type) if event else None,
                "intent": _loggable(event.intent_name) if event else None,
                "outcome": outcome,
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    )


def _outcome(answer: Mapping[str, Any], invocation: context.Invocation) -> str:
    response = answer.get("response") or {}
    if invocation.failed:
        return "error"
    if "outputSpeech" not in response and not response.get("directives"):
        return "silent"
    return "end" if response.get("shouldEndSession") else "open"


class CoachSkill:
    """The skill with its database; build once per process, invoke for every request."""

    def __init__(self, settings: Settings, zone_lookup: ZoneLookup | None = None) -> None:
        self.settings = settings
        self.database: Database = make_database(settings.database_url)
        self.pepper = load_pepper(settings)
        self._zone_lookup = zone_lookup
        self._schema_ready = not settings.auto_migrate
        self._schema_lock = threading.Lock()
        builder = SkillBuilder()
        for handler in handlers.request_handlers():
            builder.add_request_handler(handler)
        builder.add_exception_handler(CatchAllExceptionHandler())
        builder.add_global_request_interceptor(_RequestSetup(self))
        self._sdk: CustomSkill = builder.create()
        self._serializer = DefaultSerializer()

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work on this skill's database."""
        return unit_of_work(self.database)

    def zone_lookup_for(
        self, invocation: _Invocation, api: AlexaApi | None
    ) -> Callable[[], str | None] | None:
        """How to learn this request's time zone: the Settings API, or the console's zone."""
        device = invocation.event.device_id
        if api is not None and device is not None:
            return lambda: api.find_time_zone(device)
        if self._zone_lookup is not None:
            lookup, raw = self._zone_lookup, invocation.raw
            return lambda: lookup(raw)
        return None

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            try:
                ensure_schema(self.database)
                self._schema_ready = True
            except Exception as exc:  # the request still gets a spoken apology
                problems.error("database migration failed: %s", type(exc).__name__)

    def invoke(self, event: Mapping[str, Any], host_context: Any = None) -> dict[str, Any]:
        """Answer one Alexa request envelope with a response envelope."""
        started = time.perf_counter()
        if not isinstance(event, Mapping):
            _log_line(None, "error", started)
            return apology(None)
        event = _without_unusable_attributes(event)
        read = read_event(event)
        if self.settings.skill_id and read.skill_id != self.settings.skill_id:
            raise SkillIdMismatch("request is for another skill")
        if context.deeper_than(event, context.MAX_EVENT_DEPTH):
            problems.warning("request envelope nested too deep")
            _log_line(read, "error", started)
            return apology(read.locale)
        self._ensure_schema()
        if isinstance(read.request_type, str) and read.request_type not in _KNOWN_TYPES:
            _log_line(read, "silent", started)  # a request type from after our SDK's time
            return {"version": "1.0", "response": {}}
        try:
            envelope = self._serializer.deserialize(json.dumps(event), RequestEnvelope)
            if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
                raise ValueError("no request")
        except Exception as exc:
            problems.warning("malformed request envelope: %s", type(exc).__name__)
            _log_line(read, "error", started)
            return apology(read.locale)
        invocation = _Invocation(event, read, host_context)
        answer = cast(
            dict[str, Any], self._serializer.serialize(self._sdk.invoke(envelope, invocation))
        )
        _log_line(read, _outcome(answer, invocation), started)
        return answer

    def database_ok(self) -> bool:
        """Whether the database answers (for health checks)."""
        return self.database.ping()

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()


def _without_unusable_attributes(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event, with session attributes that are not the skill's own kind dropped (NaN,
    non-string keys, too deep or too big): they would be echoed back on the reply."""
    session = event.get("session")
    if not isinstance(session, Mapping) or session.get("attributes") is None:
        return event
    if context.session_attributes_usable(session["attributes"]):
        return event
    problems.warning("session attributes dropped: not plain JSON, too deep or over 8 KB")
    return {**event, "session": {**session, "attributes": {}}}


_SERIALIZER = DefaultSerializer()
#: Every request type the SDK's model knows; any other is not for a conversation.
_KNOWN_TYPES = frozenset(Request.discriminator_value_class_map)


def apology(locale: object = None) -> dict[str, Any]:
    """A spoken apology envelope, for requests that never reach the handlers."""
    strings = Strings(resolve_locale(locale if isinstance(locale, str) else None))

    def speech(key: str) -> SsmlOutputSpeech:
        return SsmlOutputSpeech(ssml=f"<speak>{Reply(strings).add(key).speech()}</speak>")

    response = Response(
        output_speech=speech("error"),
        reprompt=Reprompt(output_speech=speech("error.reprompt")),
        should_end_session=False,
    )
    envelope = ResponseEnvelope(version="1.0", response=response)
    return cast(dict[str, Any], _SERIALIZER.serialize(envelope))


def build_skill(
    settings: Settings | None = None, *, zone_lookup: ZoneLookup | None = None
) -> CoachSkill:
    """Build the skill from settings (the environment's by default)."""
    return CoachSkill(settings or Settings.from_env(), zone_lookup=zone_lookup)
