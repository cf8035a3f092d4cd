"""A conversation with the skill as an Echo would hold it: sessions, dialog, clock and zone."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.app import Skill

from . import envelopes
from .envelopes import JSON, Caller, SessionState
from .model import InteractionModel
from .nlu import Elicitation, Resolution, Resolver


class SkillFailure(RuntimeError):
    """The skill raised, or answered with something that is not a response envelope."""

    def __init__(self, message: str, request: JSON) -> None:
        super().__init__(message)
        self.request = request


# --------------------------------------------------------------------------- time


def local_zone_name() -> str:
    """The machine's IANA zone name when it can be told, else "UTC"."""
    zone = datetime.now().astimezone().tzinfo
    key = getattr(zone, "key", None)
    if isinstance(key, str):
        return key
    try:
        target = Path("/etc/localtime").resolve()
    except OSError:
        return "UTC"
    parts = target.parts
    if "zoneinfo" in parts:
        name = "/".join(parts[parts.index("zoneinfo") + 1 :])
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return "UTC"
        return name
    return "UTC"


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError with a readable message when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Paris)"
        ) from error


class ConsoleClock:
    """The console's idea of now: a fixed local date and time that moves a few seconds per
    request, or (live) the real time, shifted by any days skipped."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        tz: tzinfo | None = None,
        tick: timedelta = timedelta(seconds=5),
    ) -> None:
        self.tz: tzinfo = tz or (start.tzinfo if start and start.tzinfo else ZoneInfo("UTC"))
        self.tick = tick
        self._fixed: datetime | None = None
        self._offset = timedelta()
        if start is not None:
            self._fixed = start if start.tzinfo else start.replace(tzinfo=self.tz)

    @property
    def live(self) -> bool:
        """Whether the clock follows the real time."""
        return self._fixed is None

    def local(self) -> datetime:
        """The current local date and time, without moving the clock."""
        if self._fixed is not None:
            return self._fixed.astimezone(self.tz)
        return datetime.now(self.tz) + self._offset

    def stamp(self) -> datetime:
        """The time for the next request; a fixed clock then moves on by one tick."""
        moment = self.local()
        if self._fixed is not None:
            self._fixed = self._fixed + self.tick
        return moment

    def _shift_to(self, target: datetime) -> None:
        if self._fixed is not None:
            self._fixed = target
        else:
            self._offset += target - self.local()

    def next_day(self, days: int = 1) -> None:
        """Move to the same local time `days` days later."""
        current = self.local()
        target_day = current.date() + timedelta(days=days)
        self._shift_to(datetime.combine(target_day, current.time(), self.tz))

    def set_date(self, day: date) -> None:
        """Move to `day`, keeping the local time."""
        current = self.local()
        self._shift_to(datetime.combine(day, current.time(), self.tz))

    def set_time(self, moment: time) -> None:
        """Move to `moment` on the current local day."""
        current = self.local()
        self._shift_to(datetime.combine(current.date(), moment, self.tz))


class ZoneDirectory:
    """The `zone_lookup` given to `build_skill`: each console user's IANA zone by user id."""

    def __init__(self, default: str = "UTC") -> None:
        self.default = default
        self._zones: dict[str, str] = {}

    def register(self, user_id: str, zone_name: str) -> None:
        """Say which zone a user lives in."""
        self._zones[user_id] = zone_name

    def __call__(self, event: Mapping[str, Any]) -> str | None:
        system = (event.get("context") or {}).get("System") or {}
        user_id = (system.get("user") or {}).get("userId")
        if user_id is None:
            user_id = ((event.get("session") or {}).get("user") or {}).get("userId")
        return self._zones.get(str(user_id), self.default)


# --------------------------------------------------------------------------- replies


@dataclass(frozen=True)
class Card:
    """A card shown in the Alexa app."""

    title: str
    text: str
    type: str = "Simple"


_TAG = re.compile(r"<[^>]+>")
_AUDIO = re.compile(r"""<audio\s[^>]*src\s*=\s*["']([^"']+)["']""")


def ssml_to_text(ssml: str) -> tuple[str, tuple[str, ...]]:
    """Plain text from SSML, and the `<audio>` sources it plays, in order."""
    source = ssml.strip()
    if not source.startswith("<speak"):
        source = f"<speak>{source}</speak>"
    parts: list[str] = []
    sounds: list[str] = []

    def visit(element: ET.Element) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "audio":
            sounds.append(element.get("src", ""))
        elif tag == "sub":
            parts.append(element.get("alias") or element.text or "")
        elif tag == "break":
            parts.append(" ")
        else:
            if tag in ("p", "s"):
                parts.append(" ")
            parts.append(element.text or "")
            for child in element:
                visit(child)
                parts.append(child.tail or "")
            if tag in ("p", "s"):
                parts.append(" ")

    try:
        visit(ET.fromstring(source))
        text = "".join(parts)
    except ET.ParseError:
        sounds = _AUDIO.findall(source)
        text = html.unescape(_TAG.sub(" ", source))
    text = " ".join(text.split())
    return re.sub(r"\s+([,.!?;:])", r"\1", text), tuple(sounds)


def _speech(output: Mapping[str, Any] | None) -> tuple[str, tuple[str, ...]]:
    if not output:
        return "", ()
    if output.get("type") == "SSML" or "ssml" in output:
        return ssml_to_text(str(output.get("ssml", "")))
    return " ".join(str(output.get("text", "")).split()), ()


def _card(raw: Mapping[str, Any] | None) -> Card | None:
    if not raw:
        return None
    kind = str(raw.get("type", "Simple"))
    if kind == "AskForPermissionsConsent":
        permissions = ", ".join(raw.get("permissions", []) or [])
        return Card("Permission requested", permissions, kind)
    if kind == "LinkAccount":
        return Card("Link your account", "", kind)
    text = raw.get("content") if kind == "Simple" else raw.get("text")
    return Card(str(raw.get("title", "")), str(text or raw.get("content") or ""), kind)


@dataclass(frozen=True)
class Turn:
    """One exchange: what Alexa said back, and what it left open."""

    speech_text: str
    reprompt_text: str | None
    card: Card | None
    ended: bool
    elicited_slot: str | None
    raw: JSON
    request: JSON = field(default_factory=dict)
    resolution: Resolution | None = None
    sounds: tuple[str, ...] = ()
    directives: tuple[str, ...] = ()
    heard: str | None = None

    @property
    def intent(self) -> str | None:
        """The intent the utterance was resolved to, if it was one."""
        return self.resolution.intent if self.resolution else None

    @classmethod
    def from_response(
        cls,
        raw: JSON,
        *,
        request: JSON,
        resolution: Resolution | None = None,
        heard: str | None = None,
    ) -> Turn:
        """Read a response envelope."""
        response = raw.get("response") or {}
        speech, sounds = _speech(response.get("outputSpeech"))
        reprompt_output = (response.get("reprompt") or {}).get("outputSpeech")
        reprompt, _ = _speech(reprompt_output) if reprompt_output else (None, ())
        directives = tuple(response.get("directives") or [])
        elicited = next(
            (d.get("slotToElicit") for d in directives if d.get("type") == "Dialog.ElicitSlot"),
            None,
        )
        should_end = response.get("shouldEndSession")
        ended = should_end is True or (should_end is None and reprompt is None and not elicited)
        return cls(
            speech_text=speech,
            reprompt_text=reprompt or None,
            card=_card(response.get("card")),
            ended=ended,
            elicited_slot=elicited,
            raw=raw,
            request=request,
            resolution=resolution,
            sounds=sounds,
            directives=tuple(str(d.get("type")) for d in directives),
            heard=heard,
        )


# --------------------------------------------------------------------------- conversation


class Conversation:
    """One user talking to the skill through the console, across sessions and days."""

    def __init__(
        self,
        skill: Skill,
        resolver: Resolver,
        caller: Caller,
        clock: ConsoleClock,
    ) -> None:
        self.skill = skill
        self.resolver = resolver
        self.caller = caller
        self.clock = clock
        self.session: SessionState | None = None
        self.pending: Elicitation | None = None
        self.last: Turn | None = None
        self.history: list[Turn] = []
        self.user_name = caller.user_id
        self._reprompted = False

    @classmethod
    def start(
        cls,
        skill: Skill,
        *,
        locale: str = "en-US",
        user: str = "console",
        clock: ConsoleClock | None = None,
        skill_id: str | None = None,
        zones: ZoneDirectory | None = None,
        model: InteractionModel | None = None,
    ) -> Conversation:
        """A conversation for `user` in `locale`, resolving with that locale's model."""
        caller = Caller.named(user, locale=locale, skill_id=skill_id)
        resolver = Resolver(model or InteractionModel.load(locale), skill_id=caller.skill_id)
        clock = clock or ConsoleClock(tz=ZoneInfo(local_zone_name()))
        if zones is not None:
            zones.register(caller.user_id, getattr(clock.tz, "key", None) or str(clock.tz))
        conversation = cls(skill, resolver, caller, clock)
        conversation.user_name = user
        if hasattr(skill, "host_clock"):  # the console is the host: its clock is the server's
            skill.host_clock = clock.local
        return conversation

    # ---- state

    @property
    def in_session(self) -> bool:
        """Whether a session is open (the Echo is listening for an answer)."""
        return self.session is not None

    @property
    def locale(self) -> str:
        """The locale of every request."""
        return self.caller.locale

    # ---- talking

    def launch(self) -> Turn:
        """ "Alexa, open comeback coach"."""
        self._close("USER_INITIATED")
        session = self._open()
        request = envelopes.launch_request(self.caller, session, self.clock.stamp())
        return self._send(request, heard="<launch>")

    def say(self, text: str) -> Turn:
        """Say `text` as an Echo would hear it; a new session starts when none is open."""
        invocation = self.resolver.split_invocation(text)
        if invocation is not None:
            kind, rest = invocation
            if kind == "launch" or not rest:
                return self.launch()
            self._close("USER_INITIATED")
            text = rest
        resolution = self.resolver.resolve(text, elicit=self.pending)
        return self.send_intent(resolution, heard=text)

    def send_intent(self, resolution: Resolution, *, heard: str | None = None) -> Turn:
        """Send an already-resolved intent."""
        session = self.session or self._open()
        request = envelopes.intent_request(
            self.caller,
            session,
            self.clock.stamp(),
            resolution.intent_json(),
            resolution.dialog_state,
        )
        return self._send(request, resolution=resolution, heard=heard)

    def silence(self) -> Turn | None:
        """Say nothing: Alexa repeats the reprompt once, then ends the session."""
        if self.session is None or self.last is None:
            return None
        if self.last.reprompt_text and not self._reprompted:
            self._reprompted = True
            turn = Turn(
                speech_text=self.last.reprompt_text,
                reprompt_text=self.last.reprompt_text,
                card=None,
                ended=False,
                elicited_slot=self.last.elicited_slot,
                raw={},
                heard="<silence>",
            )
            self.history.append(turn)
            return turn
        return self._close("EXCEEDED_MAX_REPROMPTS")

    def end(self, reason: str = "USER_INITIATED") -> Turn | None:
        """End the open session, if any, with a SessionEndedRequest."""
        return self._close(reason)

    def disable_skill(self) -> Turn:
        """The user disables the skill in the Alexa app."""
        self._close("USER_INITIATED")
        request = envelopes.skill_disabled_event(self.caller, self.clock.stamp())
        return self._invoke(request, heard="<skill disabled>")

    def next_day(self, days: int = 1) -> None:
        """Let the open session time out, then move the clock on by `days` days."""
        self._close("EXCEEDED_MAX_REPROMPTS")
        self.clock.next_day(days)

    def set_date(self, day: date) -> None:
        """Jump to `day` (the open session times out first)."""
        self._close("EXCEEDED_MAX_REPROMPTS")
        self.clock.set_date(day)

    def set_time(self, moment: time) -> None:
        """Jump to `moment` today (the open session times out first)."""
        self._close("EXCEEDED_MAX_REPROMPTS")
        self.clock.set_time(moment)

    # ---- internals

    def _open(self) -> SessionState:
        self.session = SessionState()
        self.pending = None
        self._reprompted = False
        return self.session

    def _close(self, reason: str) -> Turn | None:
        if self.session is None:
            return None
        request = envelopes.session_ended_request(
            self.caller, self.session, self.clock.stamp(), reason
        )
        turn = self._invoke(request, heard=f"<session ended: {reason}>")
        self.session = None
        self.pending = None
        return turn

    def _call(self, request: JSON) -> JSON:
        try:
            raw = self.skill.invoke(request)
        except Exception as error:
            self.session = None
            self.pending = None
            kind = type(error).__name__
            raise SkillFailure(f"the skill raised {kind}: {error}", request) from error
        if not isinstance(raw, dict) or not isinstance(raw.get("response", {}), dict):
            self.session = None
            self.pending = None
            raise SkillFailure("the skill did not return a response envelope", request)
        return raw

    def _invoke(self, request: JSON, *, heard: str) -> Turn:
        """Send a request that expects no answer (session end, skill events)."""
        raw = self._call(request)
        turn = Turn.from_response(raw, request=request, heard=heard)
        turn = replace(turn, ended=True)
        self.history.append(turn)
        return turn

    def _send(
        self, request: JSON, *, resolution: Resolution | None = None, heard: str | None = None
    ) -> Turn:
        raw = self._call(request)
        turn = Turn.from_response(raw, request=request, resolution=resolution, heard=heard)
        self.history.append(turn)
        self.last = turn
        self._reprompted = False
        if turn.ended or self.session is None:
            self.session = None
            self.pending = None
            return turn
        self.session.new = False
        self.session.attributes = dict(raw.get("sessionAttributes") or {})
        directive = next(
            (
                d
                for d in raw.get("response", {}).get("directives") or []
                if d.get("type") == "Dialog.ElicitSlot"
            ),
            None,
        )
        self.pending = Elicitation.from_directive(directive) if directive else None
        return turn
