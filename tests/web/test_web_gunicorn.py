"""The app under a real gunicorn on a loopback port, the way `comeback-coach serve` runs it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from skill.web import MAX_BODY_BYTES, gunicorn_options

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """Start a server, wait (bounded) until /healthz answers, yield its base URL, stop it."""
    base = f"http://127.0.0.1:{port}"
    session = requests.Session()
    session.trust_env = False  # never through a proxy: the server is on this machine
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the server exited early:\n{log.read_text()}")
                try:
                    session.get(f"{base}/healthz", timeout=2)
                    break
                except requests.ConnectionError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"the server did not start:\n{log.read_text()}")
                    time.sleep(0.2)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            session.close()


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ALEXA_", "DATABASE_", "COACH_", "GUNICORN_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'served.db'}",
        COACH_DATA_DIR=str(tmp_path),
        USER_ID_PEPPER="gunicorn-test-pepper",
        ALEXA_VERIFY="0",
        XDG_RUNTIME_DIR=str(tmp_path),  # where a gunicorn that opens a control socket puts it
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    )
    return env


def exercise(base: str, event: dict[str, object]) -> None:
    with requests.Session() as session:
        session.trust_env = False
        health = session.get(f"{base}/healthz", timeout=10)
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "database": "ok"}

        answer = session.post(f"{base}/", json=event, timeout=10)
        assert answer.status_code == 200
        assert answer.json()["response"]["outputSpeech"]

        refused = session.post(f"{base}/", data=b"{broken", timeout=10)
        assert refused.status_code == 400
        assert refused.json() == {"error": "malformed_json"}


def test_the_app_factory_serves_alexa_under_gunicorn(server_env, tmp_path, alexa):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "skill.web:create_app()",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        "2",
    ]
    with running(command, server_env, port, tmp_path / "gunicorn.log") as base:
        exercise(base, alexa.launch_request())


def test_run_server_serves_under_gunicorn_and_logs_no_query_strings(server_env, tmp_path, alexa):
    port = free_port()
    log = tmp_path / "serve.log"
    script = f"from skill.web import run_server; run_server('127.0.0.1', {port}, 1)"
    with running([sys.executable, "-c", script], server_env, port, log) as base:
        exercise(base, alexa.launch_request())
        with requests.Session() as session:
            session.trust_env = False
            assert session.get(f"{base}/healthz?token=do-not-log", timeout=10).ok
    written = log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in written
    assert '"POST / HTTP/1.1" 200' in written
    assert "do-not-log" not in written
    assert "Alexa request refused: malformed_json" in written


def post_once(url: str, data: object) -> requests.Response:
    """A POST on a connection of its own: the server closes one after refusing a body."""
    with requests.Session() as session:
        session.trust_env = False
        return session.post(url, data=data, headers={"Connection": "close"}, timeout=10)


def test_bodies_over_the_limit_are_413_under_gunicorn_chunked_or_not(server_env, tmp_path, alexa):
    event = alexa.launch_request()
    event["session"]["attributes"] = {"padding": "x" * MAX_BODY_BYTES}
    body = json.dumps(event).encode()
    fits = json.dumps(alexa.launch_request()).encode()

    def chunks(data: bytes):  # a generator: requests sends it chunked, with no length
        for start in range(0, len(data), 16 * 1024):
            yield data[start : start + 16 * 1024]

    port = free_port()
    script = f"from skill.web import run_server; run_server('127.0.0.1', {port}, 1)"
    serve = [sys.executable, "-c", script]
    with running(serve, server_env, port, tmp_path / "serve.log") as base:
        sized = post_once(f"{base}/", body)
        chunked = post_once(f"{base}/", chunks(body))
        answered = post_once(f"{base}/", chunks(fits))
    assert chunked.request.headers.get("Transfer-Encoding") == "chunked"
    assert (sized.status_code, sized.json()) == (413, {"error": "body_too_large"})
    assert (chunked.status_code, chunked.json()) == (413, {"error": "body_too_large"})
    assert answered.status_code == 200
    assert answered.json()["response"]["outputSpeech"]


def test_gunicorn_defaults_suit_a_small_alexa_endpoint():
    options = gunicorn_options("0.0.0.0", 8000)
    assert options["bind"] == "0.0.0.0:8000"
    assert options["worker_class"] == "gthread"
    assert 1 <= options["workers"] <= 2 * (os.cpu_count() or 1) + 1
    assert options["workers"] <= 8
    assert options["timeout"] == 10
    assert "%(r)s" not in options["access_log_format"]
    assert gunicorn_options("::1", 8000, workers=3)["bind"] == "[::1]:8000"
    assert gunicorn_options("::1", 8000, workers=3)["workers"] == 3
