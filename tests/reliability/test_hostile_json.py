"""Hostile JSON: nesting of any depth, and session attributes that are not the skill's own.

The web endpoint refuses an envelope nested deeper than Alexa's ever are with a 400 (with
verification on, before any certificate is fetched: tests/web/test_web_endpoint.py); the
Lambda handler answers it with the spoken apology. Session attributes that are not plain
JSON (NaN, Infinity, non-string keys), nested deep, or over 8 KB are dropped with one log
line and never echoed, and every reply stays within Alexa's 24 KB.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.web import create_app
from tests.alexa import Alexa
from tests.reliability.helpers import (
    MAX_RESPONSE_BYTES,
    assert_valid_response,
    capture_logs,
    is_apology,
    said,
)
from tests.skill.helpers import PEPPER

DEPTHS = [65, 900, 1000, 5000, 20_000]  # 20,000 deep is about 80 KB of JSON


def nested(depth: int, leaf: Any = "x") -> Any:
    """A value `depth` levels deep: an object outermost, then lists and objects in turn
    (built without recursion)."""
    value = leaf
    for level in reversed(range(depth)):
        value = [value] if level % 2 else {"a": value}
    return value


def nested_json(depth: int) -> bytes:
    """The JSON text of `nested(depth)`, written out without recursing."""
    opening = "".join("[" if level % 2 else '{"a":' for level in range(depth))
    closing = "".join("]" if level % 2 else "}" for level in reversed(range(depth)))
    return f'{opening}"x"{closing}'.encode()


def launch_json_with(path: tuple[str, ...], depth: int) -> bytes:
    """A launch request with `nested(depth)` placed at `path`, as raw JSON."""
    event = Alexa(lambda e, c: {}).envelope({"type": "LaunchRequest"})
    target = event
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = "HOLE"
    text = json.dumps(event).encode()
    return text.replace(b'"HOLE"', nested_json(depth))


# --- the web endpoint --------------------------------------------------------------------


@pytest.fixture
def web_client(tmp_path: Path) -> Any:
    config = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "COACH_DATA_DIR": str(tmp_path),
        "USER_ID_PEPPER": PEPPER,
        "ALEXA_VERIFY": "0",
    }
    return create_app(config).test_client()


@pytest.mark.parametrize("depth", DEPTHS)
def test_json_nested_to_any_depth_is_a_400_on_the_web(web_client: Any, depth: int) -> None:
    for body in (nested_json(depth), launch_json_with(("request", "intent"), depth)):
        answer = web_client.post("/", data=body, content_type="application/json")
        assert answer.status_code == 400
        assert answer.get_json() == {"error": "json_too_deep"}


def test_deep_session_attributes_are_a_400_on_the_web(web_client: Any) -> None:
    body = launch_json_with(("session", "attributes", "deep"), 900)
    answer = web_client.post("/", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "json_too_deep"}


# --- the Lambda handler ------------------------------------------------------------------


@pytest.fixture
def lambda_handler(sqlite_url: str, lambda_on: Callable[[str], Any]) -> Any:
    return lambda_on(sqlite_url).handler


@pytest.mark.parametrize("depth", [*DEPTHS, 100_000])
@pytest.mark.parametrize("where", [("request", "intent", "slots"), ("context", "Viewport")])
def test_the_lambda_handler_answers_envelopes_nested_to_any_depth(
    lambda_handler: Any, depth: int, where: tuple[str, ...]
) -> None:
    alexa = Alexa(lambda_handler)
    alexa.launch()
    event = alexa.envelope({"type": "IntentRequest", "intent": {"name": "StreakIntent"}})
    target: Any = event
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = nested(depth)

    answer = lambda_handler(event, None)

    assert_valid_response(answer)
    assert is_apology(answer, "en-US")


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("nested 900 deep", {"deep": nested(900)}),
        ("nested 17 deep", {"deep": nested(17)}),
        ("NaN", {"score": float("nan")}),
        ("Infinity", {"score": float("inf"), "other": [float("-inf")]}),
        ("a number key", {1: "one"}),
        ("a tuple key", {("a", "b"): "pair"}),
        ("not JSON at all", {"when": object()}),
        ("90 KB", {f"key{i}": "x" * 900 for i in range(100)}),
        ("just over 8 KB", {"blob": "x" * (8 * 1024)}),
        ("a list", ["not", "an", "object"]),
        ("a huge integer", {"n": 10**5000}),
    ],
)
def test_unusable_session_attributes_are_dropped_with_one_log_line_and_never_echoed(
    lambda_handler: Any, name: str, attributes: Any
) -> None:
    alexa = Alexa(lambda_handler)
    alexa.onboard()
    event = alexa.envelope({"type": "IntentRequest", "intent": {"name": "StreakIntent"}})
    event["session"]["attributes"] = attributes

    with capture_logs(logging.INFO) as logs:
        answer = lambda_handler(event, None)

    assert_valid_response(answer)
    assert not is_apology(answer), said(answer)
    assert "day" in said(answer)
    wire = json.dumps(answer, allow_nan=False)  # plain JSON: no NaN or Infinity
    assert len(wire.encode()) <= MAX_RESPONSE_BYTES
    echoed = answer.get("sessionAttributes") or {}
    assert not set(map(str, echoed)) & {"deep", "score", "1", "when", "key0", "blob", "n"}
    dropped = [line for line in logs.lines() if "session attributes dropped" in line]
    assert len(dropped) == 1


def test_the_skills_own_session_attributes_still_carry_a_conversation(
    lambda_handler: Any,
) -> None:
    alexa = Alexa(lambda_handler)
    with capture_logs(logging.INFO) as logs:
        alexa.launch()
        asked = alexa.intent("AMAZON.YesIntent")  # answers the question the launch asked
    assert alexa.attributes  # the skill's pending question travelled in the session
    assert not is_apology(asked.envelope)
    assert "session attributes dropped" not in logs.text()


def test_the_biggest_reply_with_the_most_session_attributes_kept_fits_in_24_kb(
    lambda_handler: Any,
) -> None:
    # ar-SA's weekly progress on a screen device is the biggest reply of all locales
    # (tests/reliability/test_response_limits.py); 8 KB of attributes is the most kept.
    alexa = Alexa(lambda_handler, locale="ar-SA", apl=True)
    alexa.onboard()
    for _ in range(7):
        alexa.log_day(confidence=9)
        alexa.next_day()
    kept = {"kept": "x" * (8 * 1024 - 20)}
    assert len(json.dumps(kept).encode()) <= 8 * 1024
    event = alexa.envelope({"type": "IntentRequest", "intent": {"name": "ProgressIntent"}})
    event["session"]["attributes"] = kept

    answer = lambda_handler(event, None)

    assert_valid_response(answer)
    assert not is_apology(answer)
    assert (answer.get("sessionAttributes") or {}).get("kept") == kept["kept"]
    assert any(
        d["type"] == "Alexa.Presentation.APL.RenderDocument"
        for d in answer["response"].get("directives", [])
    )
    assert len(json.dumps(answer).encode()) <= MAX_RESPONSE_BYTES


def test_session_attributes_nested_16_deep_are_kept(lambda_handler: Any) -> None:
    alexa = Alexa(lambda_handler)
    alexa.onboard()
    event = alexa.envelope({"type": "IntentRequest", "intent": {"name": "StreakIntent"}})
    event["session"]["attributes"] = {"deep": nested(15)}  # 16 levels with the outer object

    with capture_logs(logging.INFO) as logs:
        answer = lambda_handler(event, None)

    assert (answer.get("sessionAttributes") or {}).get("deep") == nested(15)
    assert "session attributes dropped" not in logs.text()
