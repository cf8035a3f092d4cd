"""What a conversation script expects of a turn, and how a turn is checked against it.

The `expect:` mapping of a step (speech, reprompt, card, ended, elicits, intent, slots,
sound, same_as / differs_from; see `scripts` for the format) becomes an `Expectation`;
checking a turn gives a `Mismatch` per unmet expectation, with the closest part of what was
said when a text was nearly right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .session import Turn

EXPECTATION_KEYS = (
    "speech",
    "not_speech",
    "reprompt",
    "card",
    "ended",
    "elicits",
    "intent",
    "slots",
    "sound",
    "same_as",
    "differs_from",
)
_REGEX = re.compile(r"^/(.*)/([is]*)$", re.DOTALL)


class ScriptError(ValueError):
    """A script that cannot be read."""


def yaml_text(value: Any) -> str:
    """A scalar of a script as text."""
    # YAML 1.1 reads a bare yes / no as booleans; in a script they are words.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@dataclass(frozen=True)
class TextPattern:
    """A substring (case-insensitive) or, written /…/, a regular expression."""

    source: str

    @property
    def regex(self) -> re.Pattern[str] | None:
        """The compiled expression when the pattern is written /…/."""
        match = _REGEX.match(self.source)
        if match is None:
            return None
        flags = re.IGNORECASE if "i" in match[2] else 0
        flags |= re.DOTALL if "s" in match[2] else 0
        return re.compile(match[1], flags)

    def matches(self, text: str) -> bool:
        """Whether `text` satisfies the pattern."""
        regex = self.regex
        if regex is not None:
            return regex.search(text) is not None
        return self.source.casefold() in text.casefold()

    def describe(self) -> str:
        """How the pattern reads in a report."""
        return f"match {self.source}" if self.regex else f"contain {self.source!r}"


def _patterns(value: Any, where: str) -> tuple[TextPattern, ...]:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return (TextPattern(str(value)),)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(TextPattern(str(v)) for v in value)
    raise ScriptError(f"{where}: expected text or a list of texts, got {value!r}")


@dataclass(frozen=True)
class Expectation:
    """What a turn must look like."""

    speech: tuple[TextPattern, ...] = ()
    not_speech: tuple[TextPattern, ...] = ()
    reprompt: tuple[TextPattern, ...] | bool | None = None
    card: tuple[TextPattern, ...] | bool | None = None
    ended: bool | None = None
    elicits: str | bool | None = None
    intent: str | None = None
    slots: Mapping[str, str] = field(default_factory=dict)
    sound: str | bool | None = None
    same_as: str | None = None
    differs_from: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: Any, where: str) -> Expectation:
        """Read an `expect:` mapping, or a bare speech expectation."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            return cls(speech=_patterns(raw, where))
        unknown = sorted(set(raw) - set(EXPECTATION_KEYS))
        if unknown:
            known = ", ".join(EXPECTATION_KEYS)
            raise ScriptError(f"{where}: unknown expectation {unknown[0]!r} (known: {known})")

        def optional(key: str) -> tuple[TextPattern, ...] | bool | None:
            value = raw.get(key)
            if value is None or isinstance(value, bool):
                return value
            return _patterns(value, f"{where}: {key}")

        def flag(key: str) -> bool | None:
            value = raw.get(key)
            if value is not None and not isinstance(value, bool):
                raise ScriptError(f"{where}: {key} must be true or false, got {value!r}")
            return value

        elicits = raw.get("elicits")
        if elicits is True:
            raise ScriptError(f"{where}: elicits names a slot (or is false)")
        slots = raw.get("slots") or {}
        if not isinstance(slots, Mapping):
            raise ScriptError(f"{where}: slots must map slot names to value ids or values")
        sound = raw.get("sound")
        differs = raw.get("differs_from") or ()
        differs = (differs,) if isinstance(differs, str) else differs
        if not isinstance(differs, list | tuple) or not all(isinstance(d, str) for d in differs):
            raise ScriptError(f"{where}: differs_from names a step id or a list of them")
        return cls(
            speech=_patterns(raw["speech"], f"{where}: speech") if "speech" in raw else (),
            not_speech=(
                _patterns(raw["not_speech"], f"{where}: not_speech") if "not_speech" in raw else ()
            ),
            reprompt=optional("reprompt"),
            card=optional("card"),
            ended=flag("ended"),
            elicits=elicits if elicits is None or elicits is False else str(elicits),
            intent=None if raw.get("intent") is None else str(raw["intent"]),
            slots={str(k): yaml_text(v) for k, v in slots.items()},
            sound=sound if sound is None or isinstance(sound, bool) else str(sound),
            same_as=None if raw.get("same_as") is None else str(raw["same_as"]),
            differs_from=tuple(differs),
        )

    def check(self, turn: Turn, earlier: Mapping[str, Turn] | None = None) -> list[Mismatch]:
        """Every way `turn` falls short of this expectation; `earlier` holds the turns of the
        steps that have an `id`."""
        earlier = earlier or {}
        problems: list[Mismatch] = []
        if self.same_as is not None:
            other = earlier.get(self.same_as)
            if other is None:
                problems.append(Mismatch("same_as", f"a step with id {self.same_as}", "none"))
            elif other.speech_text != turn.speech_text:
                wanted = f"the same speech as {self.same_as}: {other.speech_text!r}"
                problems.append(Mismatch("speech", wanted, turn.speech_text))
        for name in self.differs_from:
            other = earlier.get(name)
            if other is None:
                problems.append(Mismatch("differs_from", f"a step with id {name}", "none"))
            elif other.speech_text == turn.speech_text:
                problems.append(Mismatch("speech", f"other speech than {name}", turn.speech_text))
        for pattern in self.speech:
            if not pattern.matches(turn.speech_text):
                problems.append(_text_mismatch("speech", pattern, turn.speech_text))
        for pattern in self.not_speech:
            if pattern.matches(turn.speech_text):
                problems.append(
                    Mismatch("speech", f"speech not to {pattern.describe()}", turn.speech_text)
                )
        problems += _check_optional("reprompt", self.reprompt, turn.reprompt_text)
        card_text = f"{turn.card.title}\n{turn.card.text}" if turn.card else None
        problems += _check_optional("card", self.card, card_text)
        if self.ended is not None and turn.ended != self.ended:
            want = "end the session" if self.ended else "keep the session open"
            got = "it ended" if turn.ended else "it stayed open"
            problems.append(Mismatch("session", want, got))
        if self.elicits is False and turn.elicited_slot is not None:
            problems.append(Mismatch("elicits", "no elicitation", turn.elicited_slot))
        elif isinstance(self.elicits, str) and turn.elicited_slot != self.elicits:
            problems.append(Mismatch("elicits", self.elicits, str(turn.elicited_slot)))
        if self.intent is not None and turn.intent != self.intent:
            problems.append(Mismatch("intent", self.intent, str(turn.intent)))
        for name, wanted in self.slots.items():
            resolution = turn.resolution
            got_id = resolution.slot_id(name) if resolution else None
            got_value = resolution.slot_value(name) if resolution else None
            if wanted not in (got_id, got_value):
                problems.append(Mismatch(f"slot {name}", wanted, f"{got_value} (id {got_id})"))
        if self.sound is not None:
            sounds = " ".join(turn.sounds)
            if self.sound is True and not turn.sounds:
                problems.append(Mismatch("sound", "a sound", "none"))
            elif self.sound is False and turn.sounds:
                problems.append(Mismatch("sound", "no sound", sounds))
            elif isinstance(self.sound, str) and self.sound not in sounds:
                problems.append(Mismatch("sound", self.sound, sounds or "none"))
        return problems


def _check_optional(
    what: str, wanted: tuple[TextPattern, ...] | bool | None, actual: str | None
) -> list[Mismatch]:
    if wanted is None:
        return []
    if wanted is False:
        return [] if actual is None else [Mismatch(what, f"no {what}", actual)]
    if wanted is True:
        return [] if actual is not None else [Mismatch(what, f"a {what}", f"no {what}")]
    if actual is None:
        return [Mismatch(what, f"{what} to {p.describe()}", f"no {what}") for p in wanted]
    return [_text_mismatch(what, p, actual) for p in wanted if not p.matches(actual)]


def _text_mismatch(what: str, pattern: TextPattern, actual: str) -> Mismatch:
    closest = None
    if pattern.regex is None and actual:
        alignment = fuzz.partial_ratio_alignment(pattern.source.casefold(), actual.casefold())
        if alignment is not None and alignment.score >= 60:
            start, end = alignment.dest_start, alignment.dest_end
            while start > 0 and not actual[start - 1].isspace():
                start -= 1
            while end < len(actual) and not actual[end].isspace():
                end += 1
            closest = actual[start:end].strip()
    return Mismatch(what, f"{what} to {pattern.describe()}", actual, closest)


@dataclass(frozen=True)
class Mismatch:
    """One expectation a turn did not meet."""

    what: str
    expected: str
    actual: str
    closest: str | None = None

    def render(self, indent: str = "    ") -> str:
        """A few aligned lines: expected, got, and the nearest part of what was said."""
        lines = [f"{indent}expected {self.expected}", f"{indent}got      {self.actual!r}"]
        if self.closest:
            lines.append(f"{indent}closest  {self.closest!r}")
        return "\n".join(lines)
