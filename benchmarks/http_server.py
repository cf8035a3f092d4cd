"""The two servers the HTTP benchmark compares, under gunicorn with `skill.web.gunicorn_options`.

    python benchmarks/http_server.py coach --port 8001   # skill.web.create_app, verification on
    python benchmarks/http_server.py bare --port 8002    # a bare Flask app, the same JSON
    python benchmarks/http_server.py bare-query --port 8003  # the same plus one SELECT 1

Configuration comes from the environment the benchmark sets: DATABASE_URL, USER_ID_PEPPER,
COACH_DATA_DIR, ALEXA_SKILL_ID, ALEXA_TRUSTED_ROOTS (the generated root), BENCH_CHAIN_PEM
(the chain s3.amazonaws.com would serve) and BENCH_CANNED_JSON (what the bare app answers).

s3.amazonaws.com is out of reach here, so the coach's RequestVerifier gets its certificate
chain from BENCH_CHAIN_PEM instead of the network, and fills its cache at start-up, the state
a long-running server is in after its first request. Everything else (URL rules, the chain's
validation against ALEXA_TRUSTED_ROOTS, the signature, the timestamp) runs unchanged.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask, Response, jsonify, request
from gunicorn.app.base import BaseApplication

import skill.web
from benchmarks.pki import CERT_URL
from skill.verification import (
    RequestVerifier,
    VerificationError,
    check_cert_chain_url,
    utc_now,
)


class PrewarmedVerifier(RequestVerifier):
    """A RequestVerifier whose chain fetch is answered from a local file, cache pre-filled."""

    chain_pem = b""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trusted_chain(check_cert_chain_url(CERT_URL), utc_now())

    def _fetch(self, url: str) -> bytes:
        if url != check_cert_chain_url(CERT_URL):
            raise VerificationError("cert_fetch_failed")
        return self.chain_pem


def coach_app() -> Flask:
    """skill.web.create_app with verification on and the certificate cache warm."""
    PrewarmedVerifier.chain_pem = Path(os.environ["BENCH_CHAIN_PEM"]).read_bytes()
    skill.web.RequestVerifier = PrewarmedVerifier  # type: ignore[misc]  # this process only
    return skill.web.create_app({"ALEXA_VERIFY": "1"})


def bare_app() -> Flask:
    """A bare Flask app that answers every POST / with the same canned JSON."""
    canned = json.loads(Path(os.environ["BENCH_CANNED_JSON"]).read_text(encoding="utf-8"))
    app = Flask(__name__)

    @app.post("/")
    def alexa() -> tuple[Response, int]:
        request.get_data(cache=False)
        return jsonify(canned), 200

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        return jsonify(status="ok"), 200

    return app


def bare_query_app() -> Flask:
    """The bare app plus one `SELECT 1` per request on the skill's own connection pool: the
    floor under any endpoint that reads its database once per request."""
    from skill.db.database import make_database

    app = bare_app()
    database = make_database(os.environ["DATABASE_URL"])
    answer = app.view_functions["alexa"]

    def alexa() -> tuple[Response, int]:
        connection = database.checkout()
        try:
            database.execute(connection, "SELECT 1").fetchone()
        finally:
            database.checkin(connection)
        return answer()  # type: ignore[no-any-return]

    app.view_functions["alexa"] = alexa
    return app


class Server(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python: options from a dict, the app from a factory in each worker."""

    def __init__(self, factory: Callable[[], Flask], options: Mapping[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._factory()


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("app", choices=("coach", "bare", "bare-query"))
    args.add_argument("--port", type=int, required=True)
    args.add_argument("--workers", type=int, help="default: skill.web.default_workers()")
    options = args.parse_args(argv)
    # As `skill.web.run_server` does: the skill's request log lines go to stderr at INFO.
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=skill.web.LOG_FORMAT)
    factory = {"coach": coach_app, "bare": bare_app, "bare-query": bare_query_app}[options.app]
    Server(factory, skill.web.gunicorn_options("127.0.0.1", options.port, options.workers)).run()


if __name__ == "__main__":
    main()
