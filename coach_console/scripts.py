"""Conversation scripts: multi-turn, multi-day conversations with expectations, in YAML.

In the spirit of Bespoken's unit tests. A script::

    name: A logged day
    locale: en-US            # optional, default en-US
    user: logger             # optional, default the file name
    tz: Europe/London        # optional, default UTC
    date: 2025-03-03         # optional, default 2025-03-03
    time: "08:30"            # optional, default 09:00 (quote it: YAML reads 08:30 as a number)
    steps:
      - launch: safe and respected         # open the skill; the speech must contain this
      - say: "yes"                          # quote yes/no: YAML reads them as true/false
        expect:
          speech: [worth pursuing]          # every entry must match
          reprompt: worth pursuing
          ended: false
      - "log my day": /any contact/i        # shorthand: say, then check the speech
      - next-day                            # or `next-day: 3`; `date: 2025-03-10`; `time: "21:00"`
      - end                                 # the user walks away (SessionEndedRequest)

A step is one of `launch`, `say`, `next-day`, `date`, `time`, `end`, `silence` (no answer: the
reprompt plays, then the session ends) and `disable` (the skill is disabled in the app), or
the shorthand `- "utterance": expectation`. Expectations (under `expect:`, or the value of
`launch:` / the shorthand as a speech expectation):

- `speech`, `not_speech`, `reprompt`, `card`: text or a list of texts, each a case-insensitive
  substring, or a regular expression written `/like this/` (flags: i, s). `reprompt: false`
  and `card: false` expect none; `reprompt: true` expects one.
- `ended`: true or false (the session ended / stayed open).
- `elicits`: the slot Alexa is asked to fill next (`false`: no elicitation).
- `intent`: the intent the utterance resolved to; `slots`: `{slot: value id or value}`.
- `sound`: true, false, or part of an `<audio>` source.
- `same_as` / `differs_from`: the speech equals / differs from that of an earlier step given
  an `id:` (e.g. the same tip all day, a new one the next day).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from .model import InteractionModel
from .session import ConsoleClock, Conversation, Skill, SkillFailure, Turn, ZoneDirectory, zone

DEFAULT_DATE = date(2025, 3, 3)
DEFAULT_TIME = time(9, 0)
DEFAULT_START = datetime.combine(DEFAULT_DATE, DEFAULT_TIME)
ACTIONS = ("launch", "say", "next-day", "date", "time", "end", "silence", "disable")
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


# --------------------------------------------------------------------------- matchers


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
            slots={str(k): _yaml_text(v) for k, v in slots.items()},
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


# --------------------------------------------------------------------------- scripts


@dataclass(frozen=True)
class Step:
    """One line of a script: an action and what the answer must look like."""

    action: str
    argument: Any
    expect: Expectation
    line: int
    id: str | None = None

    def describe(self) -> str:
        """How the step reads in a report."""
        if self.action == "say":
            return f"say {self.argument!r}"
        if self.argument is None:
            return self.action
        return f"{self.action} {self.argument}"


@dataclass(frozen=True)
class Script:
    """A whole conversation."""

    name: str
    steps: tuple[Step, ...]
    locale: str = "en-US"
    user: str = "script"
    tz: str = "UTC"
    start: datetime = DEFAULT_START
    path: Path | None = None

    @classmethod
    def load(cls, path: Path) -> Script:
        """Read a script file."""
        return cls.parse(path.read_text(encoding="utf-8"), path=path)

    @classmethod
    def parse(cls, text: str, *, path: Path | None = None) -> Script:
        """Read a script from YAML text."""
        label = str(path) if path else "<script>"
        try:
            document = yaml.compose(text, Loader=yaml.SafeLoader)
            raw = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ScriptError(f"{label}: not valid YAML: {error}") from error
        if not isinstance(raw, Mapping) or not isinstance(raw.get("steps"), list):
            raise ScriptError(f"{label}: a script is a mapping with a list of steps")
        lines = _step_lines(document)
        steps = tuple(
            _step(entry, f"{label}:{lines[index]}", lines[index])
            for index, entry in enumerate(raw["steps"])
        )
        start_day = _date(raw.get("date", DEFAULT_DATE), f"{label}: date")
        start_time = _time(raw.get("time", DEFAULT_TIME), f"{label}: time")
        tz = str(raw.get("tz", "UTC"))
        try:
            zone(tz)
        except ValueError as error:
            raise ScriptError(f"{label}: {error}") from error
        default_user = path.stem if path else "script"
        return cls(
            name=str(raw.get("name") or default_user),
            steps=steps,
            locale=str(raw.get("locale", "en-US")),
            user=str(raw.get("user") or default_user),
            tz=tz,
            start=datetime.combine(start_day, start_time),
            path=path,
        )


def _step_lines(document: yaml.Node | None) -> list[int]:
    if not isinstance(document, yaml.MappingNode):
        return []
    for key, value in document.value:
        if key.value == "steps" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _yaml_text(value: Any) -> str:
    # YAML 1.1 reads a bare yes / no as booleans; in a script they are words.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ScriptError(f"{where}: expected a date like 2025-03-03, got {value!r}") from error


def _time(value: Any, where: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)  # YAML 1.1 read 21:30 as 1290 minutes
    try:
        return time.fromisoformat(str(value))
    except ValueError as error:
        raise ScriptError(f'{where}: expected a time like "21:30", got {value!r}') from error


def _step(entry: Any, where: str, line: int) -> Step:
    if isinstance(entry, str):
        action = entry.lstrip(":")
        if action not in ACTIONS or action in ("say", "date", "time"):
            raise ScriptError(f"{where}: unknown step {entry!r}")
        return Step(action, 1 if action == "next-day" else None, Expectation(), line)
    if not isinstance(entry, Mapping) or not entry:
        raise ScriptError(f"{where}: a step is an action or `utterance: expectation`")
    if "id" in entry:
        rest = {key: value for key, value in entry.items() if key != "id"}
        return replace(_step(rest, where, line), id=str(entry["id"]))
    keys = [str(k).lstrip(":") if isinstance(k, str) else k for k in entry]
    actions = [k for k in keys if k in ACTIONS]
    expect_raw = entry.get("expect")
    if not actions:
        extra = [k for k in keys if k != "expect"]
        if len(extra) != 1:
            raise ScriptError(f"{where}: say one thing per step")
        utterance = next(k for k in entry if k != "expect")
        speech = Expectation.parse(entry[utterance], where)
        expect = Expectation.parse(expect_raw, where) if expect_raw is not None else speech
        if expect_raw is not None and entry[utterance] is not None:
            expect = replace(expect, speech=speech.speech + expect.speech)
        return Step("say", _yaml_text(utterance), expect, line)
    if len(actions) > 1 or set(keys) - {actions[0], "expect"}:
        raise ScriptError(f"{where}: one action per step (found {', '.join(map(str, keys))})")
    action = actions[0]
    value = next(v for k, v in entry.items() if str(k).lstrip(":") == action)
    if expect_raw is not None and action in ("next-day", "date", "time"):
        raise ScriptError(f"{where}: {action} gets no answer to check; expect on the next step")
    expect = Expectation.parse(expect_raw, where)
    if action == "say":
        if value is None:
            raise ScriptError(f"{where}: say what?")
        return Step("say", _yaml_text(value), expect, line)
    if action == "launch":
        if value is not None:
            spoken = Expectation.parse(value, where).speech
            expect = replace(expect, speech=spoken + expect.speech)
        return Step("launch", None, expect, line)
    if action == "next-day":
        days = 1 if value is None else value
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ScriptError(f"{where}: next-day takes a number of days, got {value!r}")
        return Step("next-day", days, expect, line)
    if action == "date":
        return Step("date", _date(value, where), expect, line)
    if action == "time":
        return Step("time", _time(value, where), expect, line)
    return Step(action, None, expect, line)


# --------------------------------------------------------------------------- running


@dataclass
class StepOutcome:
    """A step as it ran."""

    step: Step
    turn: Turn | None
    mismatches: list[Mismatch]


@dataclass
class ScriptResult:
    """The outcome of one script."""

    script: Script
    outcomes: list[StepOutcome]
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Whether every step met its expectations."""
        return self.error is None and not any(o.mismatches for o in self.outcomes)

    @property
    def failed_step(self) -> StepOutcome | None:
        """The step that failed, if one did."""
        return next((o for o in self.outcomes if o.mismatches), None)

    def report(self) -> str:
        """A readable account: PASS, or where and how the conversation went astray."""
        label = str(self.script.path) if self.script.path else "<script>"
        if self.passed:
            return f"PASS {label} — {self.script.name} ({len(self.outcomes)} steps)"
        lines = [f"FAIL {label} — {self.script.name}"]
        if self.error:
            lines.append(f"  {self.error}")
        failed = self.failed_step
        if failed is not None:
            number = self.outcomes.index(failed) + 1
            lines.append(f"  step {number} (line {failed.step.line}): {failed.step.describe()}")
            lines += [mismatch.render() for mismatch in failed.mismatches]
        lines.append("  conversation so far:")
        lines += [f"    {line}" for line in transcript(self.outcomes)]
        return "\n".join(lines)


def transcript(outcomes: Iterable[StepOutcome]) -> list[str]:
    """The conversation as lines of text, one block per step."""
    lines: list[str] = []
    for index, outcome in enumerate(outcomes, start=1):
        step, turn = outcome.step, outcome.turn
        mark = "✗" if outcome.mismatches else " "
        lines.append(f"{mark}{index:>3}. {step.describe()}")
        if turn is None:
            continue
        if turn.intent:
            lines.append(f"       (heard as {turn.intent})")
        if turn.speech_text:
            lines.append(f"       alexa: {turn.speech_text}")
        if turn.reprompt_text:
            lines.append(f"       reprompt: {turn.reprompt_text}")
        if turn.elicited_slot:
            lines.append(f"       [waiting for {turn.elicited_slot}]")
        if turn.ended:
            lines.append("       [session ended]")
    return lines


def run_script(
    script: Script,
    skill: Skill,
    *,
    zones: ZoneDirectory | None = None,
    user_suffix: str = "",
    skill_id: str | None = None,
    models: dict[str, InteractionModel] | None = None,
) -> ScriptResult:
    """Play `script` against `skill`; stop at the first step that does not meet its
    expectations. `zones` is the `zone_lookup` the skill was built with."""
    models = {} if models is None else models
    if script.locale not in models:
        models[script.locale] = InteractionModel.load(script.locale)
    clock = ConsoleClock(script.start.replace(tzinfo=zone(script.tz)))
    conversation = Conversation.start(
        skill,
        locale=script.locale,
        user=script.user + user_suffix,
        clock=clock,
        zones=zones,
        model=models[script.locale],
        skill_id=skill_id,
    )
    result = ScriptResult(script, [])
    remembered: dict[str, Turn] = {}
    for step in script.steps:
        try:
            turn = _perform(conversation, step)
        except SkillFailure as failure:
            problem = Mismatch("skill", "an answer", str(failure))
            result.outcomes.append(StepOutcome(step, None, [problem]))
            return result
        mismatches = step.expect.check(turn, remembered) if turn is not None else []
        result.outcomes.append(StepOutcome(step, turn, mismatches))
        if step.id is not None and turn is not None:
            remembered[step.id] = turn
        if mismatches:
            break
    return result


def _perform(conversation: Conversation, step: Step) -> Turn | None:
    actions: dict[str, Callable[[], Turn | None]] = {
        "launch": conversation.launch,
        "say": lambda: conversation.say(str(step.argument)),
        "next-day": lambda: conversation.next_day(int(step.argument)),
        "date": lambda: conversation.set_date(step.argument),
        "time": lambda: conversation.set_time(step.argument),
        "end": conversation.end,
        "silence": conversation.silence,
        "disable": conversation.disable_skill,
    }
    return actions[step.action]()


def run_files(
    paths: Sequence[Path],
    skill: Skill,
    *,
    zones: ZoneDirectory | None = None,
    user_suffix: str = "",
    skill_id: str | None = None,
) -> list[ScriptResult]:
    """Run several script files against one skill."""
    models: dict[str, InteractionModel] = {}
    return [
        run_script(
            Script.load(path),
            skill,
            zones=zones,
            user_suffix=user_suffix,
            skill_id=skill_id,
            models=models,
        )
        for path in paths
    ]
