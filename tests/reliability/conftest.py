"""Reliability fixtures: skills built on a given database URL, and the slow-test switch.

Tests marked `slow` (thousands of fuzzing examples, the two-minute soak) run only when
COACH_SLOW=1 is set; the default run of this folder stays within about a minute and a half.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import configuration

from skill.app import CoachSkill, build_skill
from skill.config import Settings
from tests.alexa import load_lambda_handler
from tests.skill.helpers import PEPPER

SLOW_ENV = "COACH_SLOW"
SKILL_ENV_KEYS = (
    "ALEXA_SKILL_ID",
    "ALEXA_VERIFY",
    "ALEXA_TRUSTED_ROOTS",
    "AUTO_MIGRATE",
    "COACH_DATA_DIR",
    "DATABASE_URL",
    "USER_ID_PEPPER",
)

# Hypothesis keeps its example database and caches under this folder, not in the repository.
configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "comeback-coach-hypothesis")


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("slow") and os.environ.get(SLOW_ENV) != "1":
        pytest.skip(f"slow: set {SLOW_ENV}=1 to run it")


@pytest.fixture
def skill_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    """Point the process environment (what the Lambda reads) at a database URL."""
    for key in SKILL_ENV_KEYS:
        monkeypatch.delenv(key, raising=False)

    def point_at(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("USER_ID_PEPPER", PEPPER)
        monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))

    return point_at


@pytest.fixture
def make_skill(tmp_path: Path) -> Iterator[Callable[[str], CoachSkill]]:
    """Build skills on database URLs; each is closed when the test ends."""
    built: list[CoachSkill] = []

    def make(url: str) -> CoachSkill:
        settings = Settings(database_url=url, data_dir=tmp_path / "data", user_id_pepper=PEPPER)
        built.append(build_skill(settings))
        return built[-1]

    yield make
    for skill in built:
        skill.close()


@pytest.fixture
def lambda_on(skill_env: Callable[[str], None]) -> Iterator[Callable[[str], Any]]:
    """lambda/handler.py imported afresh with DATABASE_URL set (call `.handler`; its skill,
    built on the first event, is `._skill`)."""
    modules: list[Any] = []

    def load(url: str) -> Any:
        skill_env(url)
        modules.append(load_lambda_handler())
        return modules[-1]

    yield load
    for module in modules:
        if module._skill is not None:
            module._skill.close()
