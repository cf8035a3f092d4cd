"""The skill as an HTTPS web service: a Flask app factory, and gunicorn to serve it.

`POST /` takes an Alexa request, verifies it came from Alexa (see `skill.verification`) and
answers with the same skill the Lambda handler runs; `GET /healthz` reports the database.
Nothing is built at import time: the skill is built on the first request that needs it.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

from flask import Flask, Response, jsonify, request
from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from skill.alexa.context import dig
from skill.app import Skill, SkillIdMismatch, apology, build_failure, build_skill
from skill.config import Settings, flag
from skill.verification import Clock, RequestVerifier, VerificationError, parse_event, utc_now

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 128 * 1024
MAX_DEFAULT_WORKERS = 8
THREADS_PER_WORKER = 4
WORKER_TIMEOUT_SECONDS = 10
# The path without its query string (%(U)s), never the request line (%(r)s) or headers.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
LOG_FORMAT = "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"
SETTINGS_KEYS = (
    "DATABASE_URL",
    "USER_ID_PEPPER",
    "AUTO_MIGRATE",
    "ALEXA_SKILL_ID",
    "ALEXA_API_ENDPOINTS",
    "COACH_DATA_DIR",
)
ERROR_NAMES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def _settings(config: Mapping[str, Any]) -> Settings:
    env = dict(os.environ)
    env.update({key: str(config[key]) for key in SETTINGS_KEYS if config.get(key) is not None})
    return Settings.from_env(env)


def _option(config: Mapping[str, Any], key: str) -> Any:
    return config[key] if key in config else os.environ.get(key)


def _verifier(config: Mapping[str, Any], settings: Settings) -> RequestVerifier | None:
    if not flag(_option(config, "ALEXA_VERIFY"), True):
        log.warning("Alexa request verification is OFF: use this only behind a trusted proxy")
        return None
    roots_path = _option(config, "ALEXA_TRUSTED_ROOTS")
    roots = Path(roots_path).read_bytes() if roots_path else None
    clock: Clock = config.get("CLOCK") or utc_now
    return RequestVerifier(roots, clock=clock, skill_id=settings.skill_id)


def _frames(exc: BaseException) -> str:
    # Where it failed, without the message: messages can carry user data or database URLs.
    return "".join(traceback.format_tb(exc.__traceback__))


class _SkillHolder:
    """Builds the skill on first use, once per process, and retries after a failed build
    (whose reason is logged once, not on every request)."""

    def __init__(self, settings: Settings, skill: Skill | None) -> None:
        self._settings = settings
        self._skill = skill
        self._lock = threading.Lock()
        self._refused: str | None = None

    def get(self) -> Skill | None:
        """The skill, or None while it cannot be built (a missing setting, a data folder
        that cannot be written)."""
        skill = self._skill
        if skill is None:
            with self._lock:
                if self._skill is None:
                    try:
                        self._skill = build_skill(self._settings)
                    except Exception as exc:
                        reason = build_failure(exc)
                        if reason != self._refused:
                            log.error("skill could not be built: %s", reason)
                            self._refused = reason
                        return None
                skill = self._skill
        return skill


def _refuse(reason: str) -> tuple[Response, int]:
    log.warning("Alexa request refused: %s", reason)
    return jsonify(error=reason), 400


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app: `POST /` for Alexa, `GET /healthz` for load balancers.

    `config` overrides the environment: ALEXA_SKILL_ID, ALEXA_VERIFY (default on),
    ALEXA_TRUSTED_ROOTS (path to a PEM bundle; default certifi's), DATABASE_URL,
    USER_ID_PEPPER, AUTO_MIGRATE; and, for tests, SKILL (a built skill) and CLOCK.
    """
    options: Mapping[str, Any] = dict(config or {})
    settings = _settings(options)
    holder = _SkillHolder(settings, options.get("SKILL"))
    verifier = _verifier(options, settings)

    app = Flask(__name__)
    # One byte over the limit is let through to the endpoint, which refuses it: a streamed
    # (chunked) body is only cut at this length, so a body cut at exactly MAX_BODY_BYTES
    # could not be told from one that fits. A longer Content-Length is refused at once.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Alexa reads keys, not order

    @app.post("/")
    def alexa_endpoint() -> tuple[Response, int]:
        raw_body = request.get_data(cache=False)
        if len(raw_body) > MAX_BODY_BYTES:
            raise RequestEntityTooLarge()
        try:
            if verifier is not None:
                # werkzeug's headers look names up case-insensitively, without a copy
                event = verifier.verify(cast(Mapping[str, str], request.headers), raw_body)
            else:
                event = parse_event(raw_body)
        except VerificationError as exc:
            return _refuse(exc.reason)
        skill = holder.get()
        if skill is None:
            return jsonify(apology(dig(event, "request", "locale"))), 200
        try:
            answer = skill.invoke(event)
        except SkillIdMismatch:
            return _refuse("skill_id_mismatch")
        return jsonify(answer), 200

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        skill = holder.get()
        try:
            database_ok = skill is not None and skill.database_ok()
        except Exception as exc:
            log.error("health check failed: %s\n%s", type(exc).__name__, _frames(exc))
            database_ok = False
        if database_ok:
            return jsonify(status="ok", database="ok"), 200
        return jsonify(status="unavailable", database="unavailable"), 503

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        name = ERROR_NAMES.get(status, "http_error")
        if request.path == "/" and status in {400, 413}:
            log.warning("Alexa request refused: %s", name)
        return jsonify(error=name), status

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception) -> tuple[Response, int]:
        log.error("request failed: %s\n%s", type(exc).__name__, _frames(exc))
        return jsonify(error="internal_error"), 500

    return app


def default_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped to spare the database's connections."""
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def gunicorn_options(host: str, port: int, workers: int | None = None) -> dict[str, Any]:
    """The gunicorn settings `run_server` uses."""
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return {
        "bind": f"{bind_host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        # Alexa gives a skill 8 seconds; a worker stuck longer than this is restarted.
        "timeout": WORKER_TIMEOUT_SECONDS,
        "graceful_timeout": WORKER_TIMEOUT_SECONDS,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        # gunicorn 24+ opens a control socket in the home folder; a web endpoint needs none.
        "control_socket_disable": True,
    }


def run_server(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    *,
    dev: bool = False,
    config: Mapping[str, Any] | None = None,
) -> None:
    """Serve the app until stopped: under gunicorn, or Flask's own server when `dev`."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    if dev:
        create_app(config).run(host=host, port=port, threaded=True, use_reloader=False)
        return
    _GunicornServer(lambda: create_app(config), gunicorn_options(host, port, workers)).run()


class _GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python: options from a dict, the app from a factory (in each worker)."""

    def __init__(self, factory: Callable[[], Flask], options: Mapping[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:  # older gunicorns lack some settings
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._factory()
