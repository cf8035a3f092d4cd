"""The two servers the HTTP benchmark compares, under gunicorn with `skill.web.gunicorn_options`.

    python benchmarks/http_server.py coach --port 8001   # skill.web.create_app
    python benchmarks/http_server.py peer --port 8002    # the textbook peer's Flask app

Both run with Alexa request verification off (the peer has none), on the database named by
DATABASE_URL, with USER_ID_PEPPER and COACH_DATA_DIR from the environment the benchmark sets.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask
from gunicorn.app.base import BaseApplication

import skill.web
from benchmarks import peer_skill


def coach_app() -> Flask:
    """skill.web.create_app with verification off."""
    return skill.web.create_app({"ALEXA_VERIFY": "0"})


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
    args.add_argument("app", choices=("coach", "peer"))
    args.add_argument("--port", type=int, required=True)
    args.add_argument("--workers", type=int, help="default: skill.web.default_workers()")
    options = args.parse_args(argv)
    # As `skill.web.run_server` does, for both: log lines go to stderr at INFO.
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=skill.web.LOG_FORMAT)
    factory = {"coach": coach_app, "peer": peer_skill.create_app}[options.app]
    Server(factory, skill.web.gunicorn_options("127.0.0.1", options.port, options.workers)).run()


if __name__ == "__main__":
    main()
