"""Settings the skill cannot run without (PRODUCT §6): USER_ID_PEPPER wherever the data is
shared, and a data folder a local install can keep its key in. Without them every request
gets the spoken apology, one log line says what is missing, and the commands that would
start a server or migrate refuse to start."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from skill.web import create_app
from tests.alexa import Alexa, load_lambda_handler
from tests.reliability.helpers import assert_valid_response, capture_logs, inspector, is_apology

USER = "amzn1.ask.account.PEPPERLESS-USER"
LAMBDA_NAME = "comeback-coach-prod-skill"
ROOT = Path(__file__).resolve().parents[2]


def error_lines(logs: Any) -> list[str]:
    return [line for line, r in zip(logs.lines(), logs.records, strict=True) if r.levelno >= 40]


def users_stored(url: str) -> int:
    with inspector(url) as engine:
        if not inspect(engine).has_table("users"):
            return 0
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM users")).scalar_one())


@pytest.fixture(params=["postgresql", "lambda"])
def shared_url(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, skill_env: Callable[..., None]
) -> str:
    """A deployment whose data is shared, without USER_ID_PEPPER: a PostgreSQL
    DATABASE_URL, or AWS Lambda (even on a SQLite file)."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = request.getfixturevalue("sqlite_url")
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", LAMBDA_NAME)
    skill_env(url)
    monkeypatch.delenv("USER_ID_PEPPER")
    return url


def test_without_the_pepper_a_shared_deployment_apologises_and_says_why_once(
    shared_url: str, tmp_path: Path
) -> None:
    module = load_lambda_handler()
    alexa = Alexa(module.handler, user_id=USER)

    with capture_logs() as logs:
        turns = [alexa.launch(), alexa.launch(), alexa.intent("StreakIntent")]

    for turn in turns:
        assert_valid_response(turn.envelope)
        assert is_apology(turn.envelope, "en-US"), turn.speech
    errors = error_lines(logs)
    assert len(errors) == 1, errors
    assert "USER_ID_PEPPER" in errors[0]
    assert users_stored(shared_url) == 0
    assert not (tmp_path / "data" / "user-id-pepper").exists(), "no key was made on the spot"


def test_without_the_pepper_the_web_app_on_postgresql_apologises_over_200_and_is_unhealthy(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("USER_ID_PEPPER", raising=False)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    app = create_app(
        {"DATABASE_URL": postgres_url, "COACH_DATA_DIR": str(tmp_path), "ALEXA_VERIFY": "0"}
    )
    client = app.test_client()
    alexa = Alexa(lambda event, _context: client.post("/", json=event).get_json(), user_id=USER)

    with capture_logs(logging.INFO) as logs:
        answers = [client.post("/", json=alexa.envelope({"type": "LaunchRequest"}))]
        answers.append(client.post("/", json=alexa.envelope({"type": "LaunchRequest"})))
        health = client.get("/healthz")

    for answer in answers:
        assert answer.status_code == 200
        assert is_apology(answer.get_json(), "en-US")
    assert health.status_code == 503
    errors = error_lines(logs)
    assert len(errors) == 1 and "USER_ID_PEPPER" in errors[0], errors
    assert users_stored(postgres_url) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`comeback-coach ARGS` in a process of its own, with only `env` as its settings."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "skill.cli", *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--port", "PORT"],
        ["serve", "--dev", "--port", "PORT"],
        ["db", "upgrade"],
        ["say", "what's my streak"],  # the console on a shared database
    ],
)
@pytest.mark.parametrize("shared", ["postgresql", "lambda"])
def test_serve_db_upgrade_and_the_console_refuse_to_start_without_the_pepper(
    args: list[str], shared: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {"COACH_DATA_DIR": str(tmp_path / "data")}
    if shared == "postgresql":
        env["DATABASE_URL"] = "postgresql://coach@127.0.0.1:1/coach"  # never reached
    else:
        env["AWS_LAMBDA_FUNCTION_NAME"] = LAMBDA_NAME
    argv = [str(port) if a == "PORT" else a for a in args]

    result = command(argv, env)

    assert result.returncode != 0
    assert "USER_ID_PEPPER" in result.stderr
    assert "Traceback" not in result.stderr
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "nothing was left serving"
    assert not (tmp_path / "data" / "user-id-pepper").exists()


def test_a_local_sqlite_install_keeps_its_own_key_across_processes(
    sqlite_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": sqlite_url, "COACH_DATA_DIR": str(tmp_path / "data")}
    say = ["say", "what's my streak", "--user", "someone"]

    first, second = command(say, env), command(say, env)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "data" / "user-id-pepper").stat().st_mode & 0o077 == 0
    assert users_stored(sqlite_url) == 1, "one person stays one user"


def blocked_folder(tmp_path: Path) -> Path:
    """A data folder that cannot be made (a file stands where its parent should be; root
    ignores permissions, so a read-only folder would not do)."""
    (tmp_path / "not-a-folder").write_text("a file")
    return tmp_path / "not-a-folder" / "data"


def test_a_data_folder_that_cannot_be_written_is_named_in_the_log_and_the_request_apologises(
    skill_env: Callable[[str], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = blocked_folder(tmp_path)
    skill_env(f"sqlite:///{tmp_path}/coach.db")
    monkeypatch.delenv("USER_ID_PEPPER")
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    module = load_lambda_handler()
    alexa = Alexa(module.handler, user_id=USER)

    with capture_logs() as logs:
        turn = alexa.launch()

    assert is_apology(turn.envelope, "en-US"), turn.speech
    errors = error_lines(logs)
    assert len(errors) == 1, errors
    assert str(folder) in errors[0]
    assert "OSError" not in errors[0]


def test_serve_refuses_to_start_when_the_data_folder_cannot_hold_the_local_key(
    tmp_path: Path,
) -> None:
    folder = blocked_folder(tmp_path)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/coach.db", "COACH_DATA_DIR": str(folder)}

    result = command(["serve", "--port", str(free_port())], env)

    assert result.returncode != 0
    assert str(folder) in result.stderr
    assert "Traceback" not in result.stderr
