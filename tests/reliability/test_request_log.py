"""The request log (`skill.requests`) at its edges: every line it writes is the JSON line.

A whole journey's lines are checked in test_privacy_after_a_journey.py; here, the requests
that go wrong before a handler runs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from tests.alexa import Alexa
from tests.reliability.helpers import assert_valid_response, capture_logs

REQUEST_LOG_KEYS = {"request_id", "type", "intent", "outcome", "latency_ms"}


def request_log(handler: Any, event: dict[str, Any]) -> list[str]:
    """Send one event; return what the request logger wrote for it, line by line."""
    with capture_logs(logging.DEBUG) as logs:
        assert_valid_response(handler(event, None))
    return [r.getMessage() for r in logs.records if r.name == "skill.requests"]


def assert_one_json_line(lines: list[str], request_id: str, outcome: str) -> None:
    assert len(lines) == 1, lines
    line = json.loads(lines[0])
    assert set(line) == REQUEST_LOG_KEYS
    assert line["request_id"] == request_id
    assert line["outcome"] == outcome


def test_a_normal_request_logs_exactly_one_json_line(
    sqlite_url: str, lambda_on: Callable[[str], Any]
) -> None:
    alexa = Alexa(lambda_on(sqlite_url).handler)
    event = alexa.envelope({"type": "LaunchRequest"})

    assert_one_json_line(request_log(alexa.handler, event), event["request"]["requestId"], "open")


def test_a_malformed_envelope_logs_one_json_line_with_outcome_error(
    sqlite_url: str, lambda_on: Callable[[str], Any]
) -> None:
    alexa = Alexa(lambda_on(sqlite_url).handler)
    event = alexa.envelope({"type": "LaunchRequest"})
    event["request"]["timestamp"] = "yesterday"

    lines = request_log(alexa.handler, event)

    assert_one_json_line(lines, event["request"]["requestId"], "error")


def test_a_request_without_a_timestamp_logs_only_its_json_line(
    sqlite_url: str, lambda_on: Callable[[str], Any]
) -> None:
    alexa = Alexa(lambda_on(sqlite_url).handler)
    event = alexa.envelope({"type": "LaunchRequest"})
    del event["request"]["timestamp"]

    lines = request_log(alexa.handler, event)

    assert_one_json_line(lines, event["request"]["requestId"], "open")
