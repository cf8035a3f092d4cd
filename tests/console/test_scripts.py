"""Conversation scripts: reading the YAML, running it, and reporting a mismatch readably."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from coach_console.expectations import ScriptError, TextPattern
from coach_console.model import InteractionModel
from coach_console.scripts import Script, run_script

from .conftest import SKILL_ID, FakeSkill, reply

ELICIT_CONTACT = {
    "type": "Dialog.ElicitSlot",
    "slotToElicit": "contact",
    "updatedIntent": {"name": "LogDayIntent", "confirmationStatus": "NONE", "slots": {}},
}


def run(text: str, fake: FakeSkill, small_model: InteractionModel, path: Path | None = None) -> str:
    script = Script.parse(text, path=path)
    result = run_script(script, fake, skill_id=SKILL_ID, models={"en-US": small_model})
    return "PASS" if result.passed else result.report()


def test_a_script_reads_its_settings_and_steps() -> None:
    script = Script.parse(
        """
name: Two days
locale: en-US
user: sam
tz: Asia/Tokyo
date: 2025-05-01
time: "21:30"
steps:
  - launch: welcome
  - say: "yes"
    expect:
      speech: [day zero, /streak (begins|starts)/i]
      reprompt: false
      ended: true
  - "log my day": any contact
  - next-day: 2
  - next-day
  - date: 2025-06-01
  - time: "07:15"
  - end
  - silence
  - disable
""",
        path=Path("two_days.yaml"),
    )
    assert (script.name, script.user, script.tz, script.locale) == (
        "Two days",
        "sam",
        "Asia/Tokyo",
        "en-US",
    )
    assert script.start == datetime(2025, 5, 1, 21, 30)
    actions = [(step.action, step.argument) for step in script.steps]
    assert actions == [
        ("launch", None),
        ("say", "yes"),
        ("say", "log my day"),
        ("next-day", 2),
        ("next-day", 1),
        ("date", date(2025, 6, 1)),
        ("time", time(7, 15)),
        ("end", None),
        ("silence", None),
        ("disable", None),
    ]
    assert [step.line for step in script.steps][:3] == [9, 10, 15]
    assert script.steps[0].expect.speech == (TextPattern("welcome"),)
    assert script.steps[1].expect.ended is True
    assert script.steps[1].expect.reprompt is False


def test_yaml_booleans_and_sexagesimal_times_are_read_as_a_person_meant_them() -> None:
    script = Script.parse("time: 21:30\nsteps:\n  - say: yes\n  - no: okay\n")
    assert script.start.time() == time(21, 30)
    assert [step.argument for step in script.steps] == ["yes", "no"]


def test_the_user_defaults_to_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "slip_day.yaml"
    path.write_text("steps:\n  - launch\n", encoding="utf-8")
    script = Script.load(path)
    assert (script.user, script.name) == ("slip_day", "slip_day")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("steps: nope", "list of steps"),
        ("steps:\n  - dance\n", "unknown step 'dance'"),
        ("steps:\n  - say: hi\n    launch: hi\n", "one action per step"),
        ("steps:\n  - say: hi\n    expect: {speach: x}\n", "unknown expectation 'speach'"),
        ("steps:\n  - next-day: soon\n", "number of days"),
        ("steps:\n  - next-day\n    expect: {speech: x}\n", "not valid YAML|unknown step"),
        ("steps:\n  - next-day: 1\n    expect: {speech: x}\n", "gets no answer"),
        ("tz: Mars/Olympus\nsteps: []\n", "unknown time zone"),
        ("date: tomorrow\nsteps: []\n", "date like"),
        ("steps:\n  - say: hi\n    expect: {ended: maybe}\n", "true or false"),
        ("steps: [\n", "not valid YAML"),
    ],
)
def test_a_malformed_script_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(ScriptError, match=problem):
        Script.parse(text)


def test_a_conversation_that_meets_every_expectation_passes(
    small_model: InteractionModel,
) -> None:
    fake = FakeSkill(
        reply("Welcome back. You're on day 3.", reprompt="Log today?", end=False),
        reply("Any contact today?", reprompt="Contact?", end=False, directives=[ELICIT_CONTACT]),
        reply("Got it. Day 3.", end=True),
    )
    outcome = run(
        """
steps:
  - launch: day 3
  - say: log my day
    expect:
      intent: LogDayIntent
      elicits: contact
      reprompt: contact
      ended: false
  - say: "no"
    expect:
      slots: {contact: NONE}
      speech: /day \\d+/i
      not_speech: slip
      elicits: false
      ended: true
      sound: false
      card: false
""",
        fake,
        small_model,
    )
    assert outcome == "PASS"


def test_a_mismatch_shows_the_step_the_line_and_the_difference(
    small_model: InteractionModel,
) -> None:
    fake = FakeSkill(
        reply("Welcome back. You are on day three.", reprompt="Log today?", end=False),
        reply("never sent"),
    )
    report = run(
        "steps:\n  - launch:\n    expect:\n      speech: you're on day 3\n  - say: help\n",
        fake,
        small_model,
        path=Path("tests/conversations/returning.yaml"),
    )
    assert "FAIL tests/conversations/returning.yaml" in report
    assert "step 1 (line 2): launch" in report
    assert 'expected speech to contain "you\'re on day 3"' in report
    assert "got      'Welcome back. You are on day three.'" in report
    assert "closest  'You are on day" in report
    assert "alexa: Welcome back." in report
    assert "help" not in report  # the run stops at the first failing step
    assert len(fake.requests) == 1


def test_every_kind_of_expectation_reports_its_own_mismatch(
    small_model: InteractionModel,
) -> None:
    fake = FakeSkill(
        reply(
            'Seven days! <audio src="soundbank://x/positive"/>',
            reprompt="More?",
            end=False,
            card={"type": "Simple", "title": "Day 7", "content": "Seven"},
        )
    )
    report = run(
        """
steps:
  - say: what's my streak
    expect:
      intent: SlipIntent
      elicits: contact
      ended: true
      reprompt: false
      card: Day 8
      sound: negative
      not_speech: seven
      slots: {contact: NONE}
""",
        fake,
        small_model,
    )
    for line in (
        "expected SlipIntent",
        "got      'StreakIntent'",
        "expected contact",
        "expected end the session",
        "got      'it stayed open'",
        "expected no reprompt",
        "expected card to contain 'Day 8'",
        "expected negative",
        "expected speech not to contain 'seven'",
        "expected NONE",
    ):
        assert line in report


def test_a_skill_that_raises_fails_the_script_at_that_step(
    small_model: InteractionModel,
) -> None:
    class Broken(FakeSkill):
        def invoke(self, event: dict[str, object]) -> dict[str, object]:
            raise RuntimeError("database is down")

    report = run("steps:\n  - launch\n", Broken(), small_model)
    assert "expected an answer" in report
    assert "database is down" in report


def test_regular_expressions_and_substrings_match_without_regard_to_case() -> None:
    assert TextPattern("DAY ZERO").matches("Today is day zero.")
    assert TextPattern("/day (0|zero)/i").matches("Today is DAY ZERO.")
    assert not TextPattern("/day (0|zero)/").matches("Today is DAY ZERO.")
    assert TextPattern("/a.b/s").matches("a\nb")
