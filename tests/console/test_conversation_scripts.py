"""Every conversation script under tests/conversations/, played against the real skill."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach_console.scripts import Script, run_script
from coach_console.session import Skill, ZoneDirectory

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations"
SCRIPTS = sorted(CONVERSATIONS.glob("*.yaml"))


def test_there_are_scripts_for_the_main_journeys() -> None:
    names = {path.stem for path in SCRIPTS}
    assert {
        "onboarding_safe_and_worth_it",
        "onboarding_unsafe",
        "logged_day_with_elicitation",
        "slip",
        "tips_over_several_days",
        "moving_on",
        "delete_data",
    } <= names


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.stem for path in SCRIPTS])
def test_the_conversation_goes_as_scripted(path: Path, coach: tuple[Skill, ZoneDirectory]) -> None:
    skill, zones = coach
    result = run_script(Script.load(path), skill, zones=zones)
    assert result.passed, result.report()


def test_scripts_do_not_depend_on_the_order_they_run_in(
    coach: tuple[Skill, ZoneDirectory],
) -> None:
    skill, zones = coach
    results = [run_script(Script.load(path), skill, zones=zones) for path in reversed(SCRIPTS)]
    assert [r.report() for r in results if not r.passed] == []
