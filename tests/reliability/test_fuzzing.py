"""Property-based: whatever envelope arrives, the skill answers cleanly and writes whole rows.

The skill and its database live for the whole test, so the examples build on each other the
way real traffic does: a few users, onboarded, logging, deleted, by valid and broken requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.app import CoachSkill, user_id
from skill.web import create_app
from tests.pki import CERT_URL, NOW, make_ca
from tests.reliability.alexa_api import mocked_alexa_api
from tests.reliability.envelopes import USERS, as_json, envelopes, huge_text, json_values
from tests.reliability.helpers import (
    assert_valid_response,
    capture_logs,
    consistency_problems,
    inspector,
    is_apology,
    said,
)
from tests.web.conftest import SKILL_ID, FakeAlexa, Pki

CI_EXAMPLES = 150
SLOW_EXAMPLES = 3000

#: The skill and its database deliberately outlive each example (state accumulates).
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Target:
    """A way into the skill (the Lambda handler or the web app) and the database behind it."""

    def __init__(self, url: str, send: Callable[[dict[str, Any]], Any]) -> None:
        self.url = url
        self.send = send

    def assert_whole_rows(self) -> None:
        with inspector(self.url) as engine:
            assert consistency_problems(engine) == []


@pytest.fixture
def lambda_target(database_url: str, lambda_on: Callable[[str], Any]) -> Iterator[Target]:
    handler = lambda_on(database_url).handler
    with mocked_alexa_api():
        yield Target(database_url, lambda event: handler(event, None))


def _no_user_ids_in(logged: str, event: Any) -> None:
    raw = user_id(event)
    for user in {*USERS, raw} if raw and raw.startswith("amzn1.ask.account.") else USERS:
        assert user not in logged


def check_lambda(target: Target, event: dict[str, Any]) -> None:
    event = json.loads(as_json(event))  # what Lambda hands over: parsed JSON
    with capture_logs() as logs:
        answer = target.send(event)
    assert_valid_response(answer)
    hypothesis.event("apology" if is_apology(answer) else "answer" if said(answer) else "silent")
    _no_user_ids_in(logs.text(), event)
    target.assert_whole_rows()


@settings(FUZZ, max_examples=CI_EXAMPLES)
@given(event=envelopes())
def test_the_lambda_handler_answers_every_envelope_with_a_valid_response(
    lambda_target: Target, event: dict[str, Any]
) -> None:
    check_lambda(lambda_target, event)


@pytest.mark.slow
@settings(FUZZ, max_examples=SLOW_EXAMPLES)
@given(event=envelopes())
def test_the_lambda_handler_answers_thousands_of_envelopes_with_valid_responses(
    lambda_target: Target, event: dict[str, Any]
) -> None:
    check_lambda(lambda_target, event)


# -- the web endpoint -----------------------------------------------------------------------

bodies = st.one_of(
    envelopes().map(as_json),
    envelopes().map(lambda e: as_json(e)[: len(as_json(e)) // 2]),
    json_values.map(as_json),
    st.binary(max_size=200),
    huge_text.map(lambda t: json.dumps({"request": t}).encode()),
    st.just(b""),
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", None]
)


@pytest.fixture
def web_target(
    database_url: str,
    make_skill: Callable[[str], CoachSkill],
    skill_env: Callable[[str], None],
) -> Iterator[Target]:
    skill_env(database_url)  # and nothing else from the developer's environment
    app = create_app({"ALEXA_VERIFY": "0", "SKILL": make_skill(database_url)})
    client = app.test_client()
    with mocked_alexa_api():
        yield Target(database_url, lambda post: client.post("/", **post))


def assert_clean_http_answer(response: Any) -> None:
    """200 with a valid Alexa response, or a 4xx naming the error, never a 500 or a trace."""
    assert b"Traceback" not in response.data
    hypothesis.event(f"HTTP {response.status_code}")
    if response.status_code == 200:
        assert_valid_response(response.get_json())
    else:
        assert 400 <= response.status_code < 500, response.status_code
        assert set(response.get_json()) == {"error"}


def check_web(target: Target, body: bytes, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    assert_clean_http_answer(target.send({"data": body, "headers": headers}))
    target.assert_whole_rows()


@settings(FUZZ, max_examples=CI_EXAMPLES // 2)
@given(body=bodies, content_type=content_types)
def test_the_web_endpoint_answers_every_body_with_200_or_a_clean_4xx(
    web_target: Target, body: bytes, content_type: str | None
) -> None:
    check_web(web_target, body, content_type)


@pytest.mark.slow
@settings(FUZZ, max_examples=SLOW_EXAMPLES)
@given(body=bodies, content_type=content_types)
def test_the_web_endpoint_answers_thousands_of_bodies_with_200_or_a_clean_4xx(
    web_target: Target, body: bytes, content_type: str | None
) -> None:
    check_web(web_target, body, content_type)


# -- the web endpoint with Alexa's signature checked --------------------------------------


@pytest.fixture(scope="module")
def signer() -> FakeAlexa:
    """A throwaway PKI playing Amazon (as tests/web builds it), and a leaf that signs."""
    root = make_ca("Reliability Test Root CA")
    intermediate = make_ca("Reliability Test Server CA", root)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pki = Pki(root, intermediate, leaf_key, root, intermediate)
    return FakeAlexa(pki, pki.issue_leaf())


@pytest.fixture
def verifying_client(
    sqlite_url: str,
    tmp_path: Path,
    signer: FakeAlexa,
    make_skill: Callable[[str], CoachSkill],
    skill_env: Callable[[str], None],
) -> Iterator[Any]:
    skill_env(sqlite_url)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(signer.pki.trusted_roots_pem())
    app = create_app(
        {
            "SKILL": make_skill(sqlite_url),
            "ALEXA_SKILL_ID": SKILL_ID,
            "ALEXA_TRUSTED_ROOTS": str(roots),
            "CLOCK": lambda: NOW,
        }
    )
    with mocked_alexa_api() as mock:
        mock.get(CERT_URL, body=signer.leaf.chain_pem(), content_type="application/x-pem-file")
        yield app.test_client()


@settings(FUZZ, max_examples=25)
@given(
    event=envelopes(),
    fresh=st.booleans(),
    tamper=st.sampled_from([None, b" ", b"{}"]),
)
def test_signed_requests_get_200_or_a_clean_4xx_and_tampered_ones_are_refused(
    verifying_client: Any,
    sqlite_url: str,
    signer: FakeAlexa,
    event: dict[str, Any],
    fresh: bool,
    tamper: bytes | None,
) -> None:
    request = event.get("request")
    if fresh and isinstance(request, dict):
        request["timestamp"] = (NOW - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body, headers = signer.signed(as_json(event))
    if tamper is not None:
        body += tamper

    response = verifying_client.post("/", data=body, headers=headers)

    assert_clean_http_answer(response)
    if tamper is not None:
        assert response.status_code in {400, 413}  # refused, or too big to read at all
    with inspector(sqlite_url) as engine:
        assert consistency_problems(engine) == []
