"""build_skill(): the one builder the Lambda handler, the web app and the console share."""

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
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.ui import Reprompt

from skill.alexa import context, handlers
from skill.alexa.alexa_api import fetch_time_zone
from skill.alexa.envelope import read_envelope, write_envelope
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

ZoneLookup = Callable[[Mapping[str, Any]], str | None]

#: Intents that answer a question the previous reply asked; others drop that question.
_DIALOG_INTENTS = frozenset(
    {
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "LogDayIntent",
        "MeetingOutcomeIntent",
        "AMAZON.FallbackIntent",
    }
)


class SkillIdMismatch(Exception):
    """The request is for another skill (ALEXA_SKILL_ID is set and differs)."""


def _dig(data: Mapping[str, Any] | None, *path: str) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def application_id(event: Mapping[str, Any]) -> str | None:
    """The skill id a request is addressed to."""
    found = _dig(event, "context", "System", "application", "applicationId") or _dig(
        event, "session", "application", "applicationId"
    )
    return found if isinstance(found, str) else None


def user_id(event: Mapping[str, Any]) -> str | None:
    """The Alexa user id of a request (never stored or logged as such)."""
    found = _dig(event, "context", "System", "user", "userId") or _dig(
        event, "session", "user", "userId"
    )
    return found if isinstance(found, str) and found else None


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
    """Builds the request context: language, hashed user, now, and the time-zone lookup."""

    def __init__(self, coach: CoachSkill) -> None:
        self.coach = coach

    def process(self, handler_input: HandlerInput) -> None:
        invocation = handler_input.context
        event: Mapping[str, Any] = invocation.event if invocation is not None else {}
        request = handler_input.request_envelope.request
        strings = Strings(resolve_locale(getattr(request, "locale", None)))
        raw_id = user_id(event)
        caller = None
        if raw_id is not None:
            caller = Caller(
                user_hash=hash_user_id(raw_id, self.coach.pepper),
                locale=strings.locale,
                now=_now(event),
                zone_lookup=self.coach.zone_lookup_for(event),
            )
        attrs = handler_input.attributes_manager.request_attributes
        attrs[context.ATTR] = context.RequestContext(
            strings=strings,
            caller=caller,
            uow=self.coach.unit_of_work,
            api=context.api_for(event, self.coach.settings.settings_api_timeout),
            request_id=getattr(request, "request_id", None),
            reminders_granted=context.reminders_granted(event),
            apl=context.supports_apl(event),
        )
        intent = getattr(request, "intent", None)
        in_session = handler_input.request_envelope.session is not None
        if in_session and getattr(intent, "name", None) not in _DIALOG_INTENTS:
            session = handler_input.attributes_manager.session_attributes or {}
            for key in (handlers.PENDING, handlers.ELICITING, handlers.LOG_SO_FAR):
                session.pop(key, None)


def _now(event: Mapping[str, Any]) -> datetime:
    try:
        return context.parse_timestamp(_dig(event, "request", "timestamp"))
    except (ValueError, OverflowError, OSError):
        problems.warning("request timestamp unusable; using the server clock")
        return datetime.now(UTC)


#: What a request id, type or intent name looks like; anything else is not logged.
_LOGGABLE = re.compile(r"[A-Za-z0-9._:\-]{1,160}")


def _loggable(value: object) -> str | None:
    return value if isinstance(value, str) and _LOGGABLE.fullmatch(value) else None


def _log_line(event: Mapping[str, Any], outcome: str, started: float) -> None:
    """One JSON line per request: id, type, intent, outcome, latency. Never user data:
    fields that don't look like Alexa's own identifiers are left out."""
    if not log.isEnabledFor(logging.INFO):
        return
    log.info(
        json.dumps(
            {
                "request_id": _loggable(_dig(event, "request", "requestId")),
                "type": _loggable(_dig(event, "request", "type")),
                "intent": _loggable(_dig(event, "request", "intent", "name")),
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
        builder.add_exception_handler(handlers.CatchAllExceptionHandler())
        builder.add_global_request_interceptor(_RequestSetup(self))
        self._sdk: CustomSkill = builder.create()

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work on this skill's database."""
        return unit_of_work(self.database)

    def zone_lookup_for(self, event: Mapping[str, Any]) -> Callable[[], str | None] | None:
        """How to learn this request's time zone: the Settings API, or the console's zone."""
        system = _dig(event, "context", "System") or {}
        token = _dig(system, "apiAccessToken")
        endpoint = _dig(system, "apiEndpoint")
        device = _dig(system, "device", "deviceId")
        if all(isinstance(v, str) and v for v in (token, endpoint, device)):
            timeout = self.settings.settings_api_timeout
            return lambda: fetch_time_zone(endpoint, device, token, timeout=timeout)
        if self._zone_lookup is not None:
            lookup = self._zone_lookup
            return lambda: lookup(event)
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
            return self._apology(None)
        if self.settings.skill_id and application_id(event) != self.settings.skill_id:
            raise SkillIdMismatch("request is for another skill")
        self._ensure_schema()
        try:
            envelope = read_envelope(event)  # parsed once, straight from the dict
            if envelope.request is None:
                raise ValueError("no request")
        except Exception as exc:
            problems.warning("malformed request envelope: %s", type(exc).__name__)
            _log_line(event, "error", started)
            return self._apology(_dig(event, "request", "locale"))
        invocation = context.Invocation(event, host_context)
        result = self._sdk.invoke(envelope, invocation)
        answer = write_envelope(result)
        _log_line(event, _outcome(answer, invocation), started)
        return answer

    def _apology(self, locale: object) -> dict[str, Any]:
        return apology(locale)

    def database_ok(self) -> bool:
        """Whether the database answers (for health checks)."""
        return self.database.ping()

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()


def apology(locale: object = None) -> dict[str, Any]:
    """A spoken apology envelope, for requests that never reach the handlers."""
    strings = Strings(resolve_locale(locale if isinstance(locale, str) else None))
    response = Response(
        output_speech=_ssml(Reply(strings).add("error").speech()),
        reprompt=Reprompt(output_speech=_ssml(Reply(strings).add("error.reprompt").speech())),
        should_end_session=False,
    )
    return write_envelope(ResponseEnvelope(version="1.0", response=response))


def _ssml(body: str) -> Any:
    from ask_sdk_model.ui import SsmlOutputSpeech

    return SsmlOutputSpeech(ssml=f"<speak>{body}</speak>")


def build_skill(
    settings: Settings | None = None, *, zone_lookup: ZoneLookup | None = None
) -> CoachSkill:
    """Build the skill from settings (the environment's by default)."""
    return CoachSkill(settings or Settings.from_env(), zone_lookup=zone_lookup)
