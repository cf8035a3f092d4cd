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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from skill.app import Skill

from .expectations import Expectation, Mismatch, ScriptError, yaml_text
from .model import InteractionModel
from .session import ConsoleClock, Conversation, SkillFailure, Turn, ZoneDirectory, zone

DEFAULT_DATE = date(2025, 3, 3)
DEFAULT_TIME = time(9, 0)
DEFAULT_START = datetime.combine(DEFAULT_DATE, DEFAULT_TIME)
ACTIONS = ("launch", "say", "next-day", "date", "time", "end", "silence", "disable")


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
        return Step("say", yaml_text(utterance), expect, line)
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
        return Step("say", yaml_text(value), expect, line)
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
