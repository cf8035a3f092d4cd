"""Alexa's HTTP APIs as a test double: one that answers, and one on a real loopback socket."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import responses

from tests.alexa import API_ENDPOINT

#: Time zones by the end of the device id; other devices get a 503 from the Settings API.
ZONES = {"BERLIN": "Europe/Berlin", "BADZONE": "Not/AZone", "TOKYO": "Asia/Tokyo"}


def _answer(method: str, path: str) -> tuple[int, Any]:
    """What the Settings, Reminders and Directives APIs answer, decided by the path alone."""
    zone = re.fullmatch(r"/v2/devices/amzn1\.ask\.device\.([\w-]+)/settings/System\.timeZone", path)
    if zone:
        for ending, name in ZONES.items():
            if zone.group(1).endswith(ending):
                return 200, name
        return 503, {"message": "unavailable"}
    if path == "/v1/alerts/reminders" and method == "POST":
        return 201, {"alertToken": "alert-token-0001"}
    if path.startswith("/v1/alerts/reminders/") and method == "DELETE":
        return 204, None
    if path == "/v1/directives" and method == "POST":
        return 204, None
    return 404, {"message": "not found"}


def _callback(request: Any) -> tuple[int, dict[str, str], str]:
    path = request.path_url.split("?")[0]
    status, body = _answer(request.method, path)
    return status, {"Content-Type": "application/json"}, "" if body is None else json.dumps(body)


@contextmanager
def mocked_alexa_api() -> Iterator[responses.RequestsMock]:
    """Alexa's APIs at API_ENDPOINT through `responses`; any other URL fails to connect."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        pattern = re.compile(re.escape(API_ENDPOINT) + r"/.*")
        for method in ("GET", "POST", "DELETE"):
            mock.add_callback(method, pattern, callback=_callback)
        yield mock


class _Handler(BaseHTTPRequestHandler):
    def _reply(self) -> None:
        status, body = _answer(self.command, self.path.split("?")[0])
        data = b"" if body is None else json.dumps(body).encode()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _reply

    def log_message(self, format: str, *args: Any) -> None:
        """The stand-in for Amazon keeps quiet: only the skill's own logs are under test."""


@contextmanager
def loopback_alexa_api() -> Iterator[str]:
    """Alexa's APIs on a real 127.0.0.1 socket, so the HTTP client logs what it really would."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
