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
from datetime import UTC, datetime, timedelta
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
from skill.alexa.builtins import SILENT_PREFIXES
from skill.alexa.context import Event, read_event
from skill.alexa.errors import CatchAllExceptionHandler
from skill.alexa.speech import Reply
from skill.config import ConfigurationError, Settings
from skill.db.database import Database, deadline, describe, make_database
from skill.db.migrate import HEAD, MIGRATION_BUDGET_SECONDS, current_revision, ensure_schema
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
    """USER_ID_PEPPER, or for a local SQLite install a random secret kept in the data folder.

    `ConfigurationError` when the data is shared (PostgreSQL, Lambda) and the pepper is not
    set (PRODUCT §6: a key made on the spot would make every user a stranger elsewhere), or
    when the data folder cannot hold the local key (the message names the folder)."""
    settings.check()
    if settings.user_id_pepper:
        return settings.user_id_pepper
    folder = Path(settings.data_dir)
    try:
        return _local_pepper(folder / "user-id-pepper")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigurationError(
            f"the data folder {folder} cannot hold the local USER_ID_PEPPER key ({reason}); "
            "make it writable, set COACH_DATA_DIR, or set USER_ID_PEPPER"
        ) from exc


def _local_pepper(path: Path) -> str:
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


def build_failure(exc: BaseException) -> str:
    """What to log when the skill could not be built: a configuration problem's own words
    (they name the setting or folder, never a secret), else only the error's class."""
    return str(exc) if isinstance(exc, ConfigurationError) else type(exc).__name__


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
        now = _now(event) if event.user_id is not None else None
        host_now = self.coach.host_clock()
        if now is not None and event.request_type == _DISABLED and not _storable(now, host_now):
            now = host_now  # erasing stores nothing: it never waits on a believable clock
        if event.user_id is not None and now is not None and _storable(now, host_now):
            caller = Caller(
                user_hash=hash_user_id(event.user_id, self.coach.pepper),
                locale=strings.locale,
                now=now,
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


#: The instants a request may store anything at: Alexa's first year on, up to a day ahead of
#: this server's clock. Outside them it is answered, and nothing is stored (no day 0001-01-01
#: or 9999-12-31 in anyone's history).
EARLIEST_STORED = datetime(2015, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=1)


_DISABLED = "AlexaSkillEvent.SkillDisabled"


def _server_now() -> datetime:
    return datetime.now(UTC)


def _storable(now: datetime, host_now: datetime) -> bool:
    if EARLIEST_STORED <= now <= host_now + LATEST_AHEAD:
        return True
    problems.warning("request timestamp outside 2015 to tomorrow: nothing will be stored")
    return False


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
        #: The host's clock, which a request's timestamp may run ahead of by a day at most;
        #: the console, whose clock can move on by days, sets its own.
        self.host_clock: Callable[[], datetime] = _server_now
        self.pepper = load_pepper(settings)
        self.database: Database = make_database(settings.database_url)
        self._zone_lookup = zone_lookup
        self._schema_ready = not settings.auto_migrate
        self._schema_lock = threading.Lock()
        self._schema_failed_at = float("-inf")
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

    def _ensure_schema(self) -> bool:
        """Whether the schema is at the newest migration, migrating it on first use.

        The check is two cheap queries within a request's budget (a hung server fails it in
        time). Bringing a new database up to date may take longer (imports, DDL, other
        processes migrating): it has a budget of its own, once per process, and requests
        that arrive meanwhile wait for it. Requests that waited while the check failed
        don't each try again (it would cost each its own budget, one after another)."""
        if self._schema_ready:
            return True
        asked = time.monotonic()
        if not self._schema_lock.acquire(timeout=MIGRATION_BUDGET_SECONDS):
            problems.error("database migration failed: another request's took too long")
            return False
        try:
            if self._schema_ready:
                return True
            if self._schema_failed_at > asked:
                return False
            try:
                with deadline():
                    behind = current_revision(self.database) != HEAD
            except Exception:
                if self.database.dialect != "sqlite":
                    raise
                # A local file cannot hang; it is busy while another process migrates it.
                # Wait for that below, with the migration's budget and retries.
                behind = True
            if behind:
                with deadline(MIGRATION_BUDGET_SECONDS):
                    ensure_schema(self.database)
            self._schema_ready = True
            return True
        except Exception as exc:  # the request gets a spoken apology
            self._schema_failed_at = time.monotonic()
            problems.error("database migration failed: %s", describe(exc))
            return False
        finally:
            self._schema_lock.release()

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
        if not self._ensure_schema():
            _log_line(read, "error", started)
            return {"version": "1.0", "response": {}} if _silent(read) else apology(read.locale)
        # One budget for the request's waits on the database (the pool's, every
        # statement's, its reruns'), below Alexa's 8 seconds.
        with deadline():
            return self._answer(event, read, host_context, started)

    def _answer(
        self, event: Mapping[str, Any], read: Event, host_context: Any, started: float
    ) -> dict[str, Any]:
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


def _silent(read: Event) -> bool:
    """Whether a request is answered without words whatever happens (events, requests that
    are not for a conversation, types the SDK doesn't know)."""
    kind = read.request_type
    if not isinstance(kind, str) or kind not in _KNOWN_TYPES:
        return isinstance(kind, str)
    return kind == "SessionEndedRequest" or kind.startswith(SILENT_PREFIXES)


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
