"""The Flask endpoint end to end: signed JSON envelopes in, the real skill and SQLite behind."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
import responses

from skill.web import MAX_BODY_BYTES, create_app

USER = "amzn1.ask.account.WEBTESTUSER0001"


@pytest.fixture
def make_app(app_config):
    def make(**overrides):
        app = create_app({**app_config, **overrides})
        app.testing = True
        return app

    return make


@pytest.fixture
def client(make_app):
    return make_app().test_client()


@pytest.fixture
def primed_client(make_app, alexa, database_rows):
    """A client whose database already holds a user, so that refusals can be counted.

    The priming request goes through a second app with verification off, so the verifying
    app's certificate cache stays empty and each test serves the chain it needs.
    """
    primer = make_app(ALEXA_VERIFY="0").test_client()
    assert primer.post("/", json=alexa.launch_request()).status_code == 200
    assert any(database_rows().values()), "the priming request should have stored a user"
    return make_app().test_client()


def post(client, body, headers):
    return client.post("/", data=body, headers=headers)


def assert_refused(response, reason):
    assert response.status_code == 400
    assert response.get_json() == {"error": reason}
    assert b"Traceback" not in response.data


def test_a_genuine_signed_launch_request_is_answered_by_the_skill(
    primed_client, alexa, amazon_s3, database_rows
):
    before = database_rows()
    body, headers = alexa.signed(alexa.launch_request(user_id=USER))
    response = post(primed_client, body, headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    envelope = response.get_json()
    assert envelope["version"] == "1.0"
    assert envelope["response"]["outputSpeech"]["ssml"]
    assert database_rows() != before, "a genuine request reaches the database"


def test_a_launch_request_answers_the_same_way_through_any_documented_url_form(
    client, alexa, amazon_s3
):
    for url in (
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ):
        body, headers = alexa.signed(cert_url=url)
        assert post(client, body, headers).status_code == 200
    assert len(amazon_s3.calls) == 1, "every form names the same cached chain"


def test_the_certificate_chain_is_fetched_once_for_many_requests(client, alexa, amazon_s3):
    for _ in range(3):
        body, headers = alexa.signed()
        assert post(client, body, headers).status_code == 200
    assert len(amazon_s3.calls) == 1


# Each case turns a genuine request into a forged, broken or misdirected one.
def tampered_body(alexa, amazon_s3):
    body, headers = alexa.signed(alexa.launch_request(user_id=USER))
    return body.replace(b'"LaunchRequest"', b'"SessionEndedRequest"'), headers


def wrong_key(alexa, amazon_s3):
    body, headers = alexa.signed(alexa.launch_request(user_id=USER))
    headers["Signature-256"] = alexa.pki.issue_leaf(key=alexa.pki.other_root.key).sign(body)
    return body, headers


def leaf_variant(**options):
    def case(alexa, amazon_s3):
        leaf_options = {key: value for key, value in options.items() if key != "_days"}
        for key, days in options.get("_days", {}).items():
            leaf_options[key] = alexa.now + timedelta(days=days)
        leaf = alexa.pki.issue_leaf(**leaf_options)
        amazon_s3.replace(responses.GET, alexa.cert_url, body=leaf.chain_pem())
        return alexa.signed(alexa.launch_request(user_id=USER), leaf=leaf)

    return case


def untrusted_root(alexa, amazon_s3):
    leaf = alexa.pki.untrusted_leaf()
    amazon_s3.replace(responses.GET, alexa.cert_url, body=leaf.chain_pem())
    return alexa.signed(alexa.launch_request(user_id=USER), leaf=leaf)


def without(header):
    def case(alexa, amazon_s3):
        body, headers = alexa.signed(alexa.launch_request(user_id=USER))
        del headers[header]
        return body, headers

    return case


def at(seconds):
    def case(alexa, amazon_s3):
        stamp = alexa.now + timedelta(seconds=seconds)
        return alexa.signed(alexa.launch_request(user_id=USER, timestamp=stamp))

    return case


def for_another_skill(alexa, amazon_s3):
    event = alexa.launch_request(user_id=USER, skill_id="amzn1.ask.skill.another-skill")
    return alexa.signed(event)


def cert_url(url):
    def case(alexa, amazon_s3):
        return alexa.signed(alexa.launch_request(user_id=USER), cert_url=url)

    return case


REFUSALS = [
    pytest.param(tampered_body, "signature_mismatch", id="tampered-body"),
    pytest.param(wrong_key, "signature_mismatch", id="wrong-key"),
    pytest.param(
        leaf_variant(_days={"not_before": -400, "not_after": -1}), "cert_expired", id="expired"
    ),
    pytest.param(
        leaf_variant(_days={"not_before": 1, "not_after": 400}),
        "cert_not_yet_valid",
        id="not-yet-valid",
    ),
    pytest.param(leaf_variant(sans=["alexa.example.com"]), "cert_san_mismatch", id="wrong-san"),
    pytest.param(untrusted_root, "cert_chain_untrusted", id="untrusted-root"),
    pytest.param(without("Signature-256"), "signature_missing", id="no-signature"),
    pytest.param(without("SignatureCertChainUrl"), "cert_url_missing", id="no-cert-url"),
    pytest.param(at(-151), "timestamp_out_of_range", id="stale"),
    pytest.param(at(+151), "timestamp_out_of_range", id="future"),
    pytest.param(for_another_skill, "skill_id_mismatch", id="wrong-skill-id"),
    pytest.param(
        cert_url("http://s3.amazonaws.com/echo.api/echo-api-cert.pem"),
        "cert_url_scheme",
        id="http-url",
    ),
    pytest.param(
        cert_url("https://notamazon.com/echo.api/echo-api-cert.pem"),
        "cert_url_host",
        id="other-host",
    ),
    pytest.param(
        cert_url("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem"),
        "cert_url_path",
        id="path-case",
    ),
    pytest.param(
        cert_url("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem"),
        "cert_url_path",
        id="other-path",
    ),
    pytest.param(
        cert_url("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem"),
        "cert_url_port",
        id="port-563",
    ),
]


@pytest.mark.parametrize(("forge", "reason"), REFUSALS)
def test_a_request_that_fails_verification_is_refused_and_writes_nothing(
    primed_client, alexa, amazon_s3, database_rows, caplog, forge, reason
):
    before = database_rows()
    body, headers = forge(alexa, amazon_s3)
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        response = post(primed_client, body, headers)
    assert_refused(response, reason)
    assert database_rows() == before
    assert reason in caplog.text
    assert USER not in caplog.text


def test_a_body_over_the_size_limit_is_refused_with_413(primed_client, alexa, database_rows):
    before = database_rows()
    event = alexa.launch_request(user_id=USER)
    event["session"]["attributes"] = {"padding": "x" * MAX_BODY_BYTES}
    body, headers = alexa.signed(event)
    response = post(primed_client, body, headers)
    assert response.status_code == 413
    assert response.get_json() == {"error": "body_too_large"}
    assert database_rows() == before


def post_chunked(client, body, headers):
    """POST a body of unknown length, the way gunicorn hands over a chunked request: no
    Content-Length, and a server that ends the stream itself (`wsgi.input_terminated`)."""
    return client.post(
        "/",
        headers={**headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_over_the_size_limit_is_refused_with_413_not_cut(
    primed_client, alexa, amazon_s3, database_rows
):
    before = database_rows()
    event = alexa.launch_request(user_id=USER)
    event["session"]["attributes"] = {"padding": "x" * MAX_BODY_BYTES}
    body, headers = alexa.signed(event)
    # No Content-Length: the body streams in, the way a chunked request's does.
    response = post_chunked(primed_client, body, headers)
    assert response.status_code == 413
    assert response.get_json() == {"error": "body_too_large"}
    assert database_rows() == before
    assert len(amazon_s3.calls) == 0


def test_a_chunked_body_within_the_limit_is_answered(primed_client, alexa, amazon_s3):
    body, headers = alexa.signed(alexa.launch_request(user_id=USER))
    response = post_chunked(primed_client, body, headers)
    assert response.status_code == 200
    assert response.get_json()["response"]["outputSpeech"]


@pytest.mark.parametrize("depth", [65, 1000, 20_000])
def test_json_nested_deeper_than_alexas_is_refused_before_any_download(
    client, alexa, amazon_s3, depth
):
    opening = "".join("[" if level % 2 else '{"a":' for level in range(depth))
    closing = "".join("]" if level % 2 else "}" for level in reversed(range(depth)))
    body, headers = alexa.signed(f"{opening}1{closing}".encode())
    assert_refused(post(client, body, headers), "json_too_deep")
    assert len(amazon_s3.calls) == 0


def test_a_signed_body_that_is_not_json_is_refused(primed_client, alexa, amazon_s3):
    body, headers = alexa.signed(b'{"version": "1.0", "request": ')
    assert_refused(post(primed_client, body, headers), "malformed_json")


def test_verification_is_on_unless_switched_off(client, alexa):
    response = client.post("/", json=alexa.launch_request())
    assert_refused(response, "cert_url_missing")


@pytest.mark.parametrize("switch", ["0", "false", "off", False])
def test_with_verification_off_an_unsigned_request_is_answered(make_app, alexa, switch):
    client = make_app(ALEXA_VERIFY=switch).test_client()
    response = client.post("/", json=alexa.launch_request())
    assert response.status_code == 200
    assert response.get_json()["response"]["outputSpeech"]


def test_with_verification_off_malformed_json_is_still_refused(make_app):
    client = make_app(ALEXA_VERIFY="0").test_client()
    response = client.post("/", data=b"{nope", content_type="application/json")
    assert_refused(response, "malformed_json")


def test_with_verification_off_a_request_for_another_skill_is_still_refused(
    make_app, alexa, database_rows
):
    client = make_app(ALEXA_VERIFY="0").test_client()
    assert client.get("/healthz").status_code == 200
    before = database_rows()
    event = alexa.launch_request(user_id=USER, skill_id="amzn1.ask.skill.another-skill")
    assert_refused(client.post("/", json=event), "skill_id_mismatch")
    assert database_rows() == before


def test_other_methods_and_paths_answer_json_errors(client):
    assert client.get("/").status_code == 405
    assert client.get("/").get_json() == {"error": "method_not_allowed"}
    assert client.get("/nowhere").get_json() == {"error": "not_found"}


def test_creating_the_app_touches_no_database(make_app, database_path):
    make_app()
    assert not database_path.exists()


def test_the_health_check_reports_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////proc/comeback-coach/no-such-dir/coach.db",
        "postgresql+psycopg://coach:secret@127.0.0.1:1/coach?connect_timeout=1",
    ],
    ids=["unwritable-sqlite-path", "closed-postgresql-port"],
)
def test_the_health_check_reports_an_unreachable_database_with_503(make_app, caplog, url):
    client = make_app(DATABASE_URL=url).test_client()
    with caplog.at_level(logging.ERROR, logger="skill.web"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"
    assert "secret" not in caplog.text


def test_settings_missing_from_the_config_come_from_the_environment(
    monkeypatch, tmp_path, roots_file
):
    database = tmp_path / "from-env.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("USER_ID_PEPPER", "env-pepper")
    monkeypatch.setenv("ALEXA_TRUSTED_ROOTS", str(roots_file))
    client = create_app().test_client()
    assert client.get("/healthz").status_code == 200
    assert database.exists()


class FakeSkill:
    """Stands in for CoachSkill where the real one cannot misbehave on demand."""

    def __init__(self, *, database_ok=True, error=None):
        self._database_ok = database_ok
        self._error = error
        self.events = []

    def invoke(self, event):
        self.events.append(event)
        if self._error:
            raise self._error
        return {"version": "1.0", "response": {"shouldEndSession": True}}

    def database_ok(self):
        return self._database_ok


def test_a_skill_passed_in_the_config_is_the_one_that_answers(make_app, alexa, amazon_s3):
    skill = FakeSkill()
    client = make_app(SKILL=skill).test_client()
    event = alexa.launch_request()
    body, headers = alexa.signed(event)
    assert post(client, body, headers).get_json()["response"] == {"shouldEndSession": True}
    assert skill.events == [event]


def test_the_health_check_fails_when_the_skill_reports_its_database_down(make_app):
    client = make_app(SKILL=FakeSkill(database_ok=False)).test_client()
    assert client.get("/healthz").status_code == 503


def test_an_unexpected_failure_answers_500_without_a_stack_trace_or_its_message(
    make_app, alexa, amazon_s3, caplog
):
    skill = FakeSkill(error=RuntimeError(f"boom for {USER}"))
    client = make_app(SKILL=skill).test_client()
    body, headers = alexa.signed()
    with caplog.at_level(logging.ERROR, logger="skill.web"):
        response = post(client, body, headers)
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal_error"}
    assert b"Traceback" not in response.data
    assert "RuntimeError" in caplog.text
    assert USER not in caplog.text
