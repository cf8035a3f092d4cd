"""Whole-skill fixtures: a fresh Lambda handler on a throwaway SQLite file, no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from tests.alexa import Alexa, load_lambda_handler
from tests.skill.helpers import PEPPER, Database


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    """Every HTTP call goes here; anything not registered fails instead of reaching out."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


@pytest.fixture
def skill_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_path: Path) -> None:
    """The Lambda's environment: our SQLite file, a pepper, no skill id unless a test sets it."""
    for key in ("ALEXA_SKILL_ID", "AUTO_MIGRATE", "COACH_DATA_DIR", "DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_path}")
    monkeypatch.setenv("USER_ID_PEPPER", PEPPER)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def lambda_module(skill_env: None, http: responses.RequestsMock) -> Iterator[Any]:
    """lambda/handler.py imported afresh, so each test builds its own skill."""
    module = load_lambda_handler()
    yield module
    if module._skill is not None:
        module._skill.close()


@pytest.fixture
def handler(lambda_module: Any) -> Any:
    return lambda_module.handler


@pytest.fixture
def alexa(handler: Any) -> Alexa:
    return Alexa(handler)


@pytest.fixture
def db(db_path: Path) -> Database:
    return Database(db_path)
