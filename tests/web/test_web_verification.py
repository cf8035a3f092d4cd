"""Amazon's request-verification rules, exercised on the verifier alone (no Flask, no database)."""

from __future__ import annotations

import base64
import re
import threading
from datetime import timedelta

import pytest
import requests
import responses
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from skill.alexa.context import read_event
from skill.verification import (
    RequestVerifier,
    VerificationError,
    check_cert_chain_url,
)
from tests.pki import _rsa_key, make_ca

CANONICAL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
REASON = re.compile(r"^[a-z0-9_]+$")


@pytest.fixture
def verifier(alexa):
    return RequestVerifier(
        alexa.pki.trusted_roots_pem(), clock=lambda: alexa.now, skill_id=alexa.skill_id
    )


def refusal(verifier, body, headers) -> str:
    with pytest.raises(VerificationError) as caught:
        verifier.verify(headers, body)
    assert REASON.match(caught.value.reason)
    return caught.value.reason


def serve(mock, leaf, url=CANONICAL):
    mock.replace(responses.GET, url, body=leaf.chain_pem())


# --- SignatureCertChainUrl ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
        # Normalised first, then checked: this names the same object as the canonical URL.
        "https://s3.amazonaws.com/invalid.path/../echo.api/echo-api-cert.pem",
        # A fragment never leaves the client; it names the same object.
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#anything",
    ],
)
def test_amazons_documented_certificate_urls_are_accepted_and_normalised(url):
    assert check_cert_chain_url(url) == CANONICAL


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_scheme"),
        ("ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_scheme"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://attacker@s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com//echo.api/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api", "cert_url_path"),
        ("https://s3.amazonaws.com", "cert_url_path"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "cert_url_port"),
        ("https://s3.amazonaws.com:80/echo.api/echo-api-cert.pem", "cert_url_port"),
        ("https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem", "cert_url_malformed"),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem?v=1", "cert_url_query"),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem?", "cert_url_query"),
    ],
)
def test_certificate_urls_outside_amazons_bucket_are_refused(url, reason):
    with pytest.raises(VerificationError) as caught:
        check_cert_chain_url(url)
    assert caught.value.reason == reason


def test_a_refused_certificate_url_is_never_fetched(verifier, alexa, amazon_s3):
    body, headers = alexa.signed(cert_url="https://s3.amazonaws.com/invalid.path/cert.pem")
    assert refusal(verifier, body, headers) == "cert_url_path"
    assert len(amazon_s3.calls) == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ],
)
def test_a_request_naming_a_documented_url_form_is_verified(verifier, alexa, amazon_s3, url):
    body, headers = alexa.signed(cert_url=url)
    assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"
    assert [call.request.url for call in amazon_s3.calls] == [CANONICAL]


# --- a genuine request ----------------------------------------------------------------------


def test_a_genuine_request_is_verified_and_returned_parsed(verifier, alexa, amazon_s3):
    event = alexa.launch_request()
    body, headers = alexa.signed(event)
    assert verifier.verify(headers, body) == event


def test_header_names_are_matched_case_insensitively(verifier, alexa, amazon_s3):
    body, headers = alexa.signed()
    lowered = {name.lower(): value for name, value in headers.items()}
    assert verifier.verify(lowered, body)["request"]["type"] == "LaunchRequest"


def test_the_chain_is_fetched_once_with_a_short_timeout(verifier, alexa, amazon_s3):
    for _ in range(3):
        body, headers = alexa.signed()
        verifier.verify(headers, body)
    assert len(amazon_s3.calls) == 1
    sent = amazon_s3.calls[0].request.req_kwargs
    assert sent["timeout"] == pytest.approx(2.0)


def test_a_served_chain_that_includes_the_root_is_accepted(verifier, alexa, amazon_s3):
    leaf = alexa.pki.issue_leaf()
    leaf.intermediates.append(alexa.pki.root.cert)
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"


def test_the_cache_is_dropped_when_the_leaf_expires_and_the_chain_is_fetched_again(
    alexa, amazon_s3
):
    now = [alexa.now]
    verifier = RequestVerifier(alexa.pki.trusted_roots_pem(), clock=lambda: now[0])
    leaf = alexa.pki.issue_leaf(not_after=alexa.now + timedelta(hours=1))
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    verifier.verify(headers, body)

    now[0] = alexa.now + timedelta(hours=2)
    later = alexa.launch_request(timestamp=now[0])
    body, headers = alexa.signed(later, leaf=leaf)
    assert refusal(verifier, body, headers) == "cert_expired"
    assert len(amazon_s3.calls) == 2


def test_concurrent_requests_share_one_verifier_safely(verifier, alexa, amazon_s3):
    requests_ = [alexa.signed() for _ in range(8)]
    outcomes: list[object] = []

    def verify(body, headers):
        try:
            outcomes.append(verifier.verify(headers, body)["request"]["type"])
        except VerificationError as exc:  # pragma: no cover - reported by the assertion below
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=verify, args=pair) for pair in requests_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["LaunchRequest"] * 8


# --- the signature --------------------------------------------------------------------------


def test_a_tampered_body_is_refused(verifier, alexa, amazon_s3):
    body, headers = alexa.signed()
    tampered = body.replace(b"LaunchRequest", b"IntentRequest")
    assert refusal(verifier, tampered, headers) == "signature_mismatch"


def test_a_body_signed_with_another_key_is_refused(verifier, alexa, amazon_s3):
    body, headers = alexa.signed()
    impostor = alexa.pki.issue_leaf(key=alexa.pki.other_root.key)
    headers["Signature-256"] = impostor.sign(body)
    assert refusal(verifier, body, headers) == "signature_mismatch"


def test_a_sha1_signature_in_the_sha256_header_is_refused(verifier, alexa, amazon_s3):
    from cryptography.hazmat.primitives import hashes

    body, headers = alexa.signed()
    headers["Signature-256"] = alexa.leaf.sign(body, hashes.SHA1())
    assert refusal(verifier, body, headers) == "signature_mismatch"


def test_a_signature_that_is_not_base64_is_refused(verifier, alexa, amazon_s3):
    body, headers = alexa.signed()
    headers["Signature-256"] = "not base64!"
    assert refusal(verifier, body, headers) == "signature_malformed"


def test_a_leaf_with_a_non_rsa_key_is_refused(verifier, alexa, amazon_s3):
    leaf = alexa.pki.issue_leaf(key=ec.generate_private_key(ec.SECP256R1()))
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    # An ECDSA signature is far shorter than any RSA one: refused before the download.
    assert refusal(verifier, body, headers) == "signature_malformed"
    assert len(amazon_s3.calls) == 0
    # Given a signature of an RSA signature's length, the leaf's key itself is refused.
    headers["Signature-256"] = base64.b64encode(bytes(256)).decode()
    assert refusal(verifier, body, headers) == "cert_key_type"


@pytest.mark.parametrize(
    ("missing", "reason"),
    [("SignatureCertChainUrl", "cert_url_missing"), ("Signature-256", "signature_missing")],
)
def test_a_request_missing_a_signature_header_is_refused(
    verifier, alexa, amazon_s3, missing, reason
):
    body, headers = alexa.signed()
    del headers[missing]
    assert refusal(verifier, body, headers) == reason
    assert len(amazon_s3.calls) == 0


def test_only_the_legacy_sha1_signature_header_is_not_enough(verifier, alexa, amazon_s3):
    from cryptography.hazmat.primitives import hashes

    body, headers = alexa.signed()
    headers["Signature"] = alexa.leaf.sign(body, hashes.SHA1())
    del headers["Signature-256"]
    assert refusal(verifier, body, headers) == "signature_missing"


# --- the certificate ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("leaf_options", "reason"),
    [
        ({"not_after": "past"}, "cert_expired"),
        ({"not_before": "future"}, "cert_not_yet_valid"),
        ({"sans": ["www.amazon.com"]}, "cert_san_mismatch"),
        ({"sans": ["*.amazon.com"]}, "cert_san_mismatch"),
        ({"sans": None}, "cert_san_mismatch"),
        ({"eku": [ExtendedKeyUsageOID.CLIENT_AUTH]}, "cert_eku"),
        ({"eku": None}, "cert_eku"),
    ],
    ids=[
        "expired",
        "not-yet-valid",
        "other-name",
        "wildcard",
        "no-san",
        "client-auth-only",
        "no-eku",
    ],
)
def test_a_leaf_that_is_not_alexas_or_not_valid_now_is_refused(
    verifier, alexa, amazon_s3, leaf_options, reason
):
    options = dict(leaf_options)
    if options.get("not_after") == "past":
        options.update(
            not_before=alexa.now - timedelta(days=400), not_after=alexa.now - timedelta(seconds=1)
        )
    if options.get("not_before") == "future":
        options.update(
            not_before=alexa.now + timedelta(seconds=1), not_after=alexa.now + timedelta(days=400)
        )
    leaf = alexa.pki.issue_leaf(**options)
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    assert refusal(verifier, body, headers) == reason


def test_a_chain_to_an_untrusted_root_is_refused(verifier, alexa, amazon_s3):
    leaf = alexa.pki.untrusted_leaf()
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    assert refusal(verifier, body, headers) == "cert_chain_untrusted"


def test_a_chain_missing_its_intermediate_is_refused(verifier, alexa, amazon_s3):
    leaf = alexa.pki.issue_leaf()
    leaf.intermediates.clear()
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    assert refusal(verifier, body, headers) == "cert_chain_untrusted"


def test_a_refused_chain_is_not_cached(verifier, alexa, amazon_s3):
    leaf = alexa.pki.untrusted_leaf()
    serve(amazon_s3, leaf)
    for _ in range(2):
        body, headers = alexa.signed(leaf=leaf)
        assert refusal(verifier, body, headers) == "cert_chain_untrusted"
    assert len(amazon_s3.calls) == 2


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"status": 404, "body": "NoSuchKey"}, "cert_fetch_failed"),
        ({"body": requests.ConnectionError("offline")}, "cert_fetch_failed"),
        ({"body": requests.Timeout("slow")}, "cert_fetch_failed"),
        ({"body": "this is not a certificate"}, "cert_chain_unreadable"),
        ({"body": "A" * (65 * 1024)}, "cert_chain_too_large"),
    ],
    ids=["not-found", "connection-error", "timeout", "garbage", "too-large"],
)
def test_a_chain_that_cannot_be_fetched_or_read_is_refused(
    verifier, alexa, amazon_s3, answer, reason
):
    amazon_s3.replace(responses.GET, CANONICAL, **answer)
    body, headers = alexa.signed()
    assert refusal(verifier, body, headers) == reason


def test_a_redirect_from_the_certificate_url_is_not_followed(verifier, alexa, amazon_s3):
    elsewhere = "https://s3.amazonaws.com/echo.api/moved.pem"
    amazon_s3.replace(responses.GET, CANONICAL, status=301, headers={"Location": elsewhere})
    amazon_s3.get(elsewhere, body=alexa.leaf.chain_pem())
    body, headers = alexa.signed()
    assert refusal(verifier, body, headers) == "cert_fetch_failed"
    assert [call.request.url for call in amazon_s3.calls] == [CANONICAL]


def test_the_certifi_bundle_is_the_default_trust_store():
    # Loads without tripping filterwarnings=error on the zero-serial roots certifi still ships.
    RequestVerifier()


def test_a_trust_bundle_without_certificates_is_a_configuration_error():
    with pytest.raises(ValueError, match="no certificate"):
        RequestVerifier(b"not a bundle")


# --- the envelope ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "request_type", "accepted"),
    [
        (timedelta(seconds=150), "LaunchRequest", True),
        (timedelta(seconds=-150), "LaunchRequest", True),
        (timedelta(seconds=151), "LaunchRequest", False),
        (timedelta(seconds=-151), "LaunchRequest", False),
        (timedelta(minutes=59), "AlexaSkillEvent.SkillDisabled", True),
        (timedelta(minutes=61), "AlexaSkillEvent.SkillDisabled", False),
        (timedelta(minutes=-61), "AlexaSkillEvent.SkillDisabled", False),
    ],
    ids=[
        "150s-old",
        "150s-ahead",
        "stale",
        "future",
        "skill-event-59min-old",
        "skill-event-stale",
        "skill-event-future",
    ],
)
def test_the_timestamp_must_be_recent(verifier, alexa, amazon_s3, offset, request_type, accepted):
    event = alexa.launch_request(timestamp=alexa.now - offset, request_type=request_type)
    body, headers = alexa.signed(event)
    if accepted:
        assert verifier.verify(headers, body)["request"]["type"] == request_type
    else:
        assert refusal(verifier, body, headers) == "timestamp_out_of_range"


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [(None, "timestamp_missing"), ("yesterday", "timestamp_malformed")],
)
def test_a_missing_or_unreadable_timestamp_is_refused(
    verifier, alexa, amazon_s3, timestamp, reason
):
    event = alexa.launch_request()
    event["request"]["timestamp"] = timestamp
    body, headers = alexa.signed(event)
    assert refusal(verifier, body, headers) == reason


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_signed_body_that_is_not_a_json_object_is_refused(verifier, alexa, amazon_s3, body):
    _, headers = alexa.signed(body)
    assert refusal(verifier, body, headers) == "malformed_json"


def test_a_request_for_another_skill_is_refused(verifier, alexa, amazon_s3):
    event = alexa.launch_request(skill_id="amzn1.ask.skill.someone-else")
    body, headers = alexa.signed(event)
    assert refusal(verifier, body, headers) == "skill_id_mismatch"


def test_a_request_naming_no_skill_is_refused_when_a_skill_id_is_configured(
    verifier, alexa, amazon_s3
):
    body, headers = alexa.signed(alexa.launch_request(skill_id=None))
    assert refusal(verifier, body, headers) == "skill_id_mismatch"


def test_any_skill_id_is_accepted_when_none_is_configured(alexa, amazon_s3):
    verifier = RequestVerifier(alexa.pki.trusted_roots_pem(), clock=lambda: alexa.now)
    body, headers = alexa.signed(alexa.launch_request(skill_id="amzn1.ask.skill.other"))
    assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"


def test_the_skill_id_falls_back_to_the_session_application(alexa):
    event = alexa.launch_request()
    del event["context"]
    assert read_event(event).skill_id == alexa.skill_id
    assert (
        read_event({"context": {"System": {"application": {"applicationId": "a"}}}}).skill_id == "a"
    )
    assert read_event({"session": "nonsense"}).skill_id is None


def test_refusal_reasons_never_echo_what_the_request_carried(verifier, alexa, amazon_s3):
    secret = "amzn1.ask.account.SECRETUSER"
    event = alexa.launch_request(user_id=secret, skill_id="amzn1.ask.skill.SECRETSKILL")
    body, headers = alexa.signed(event)
    reason = refusal(verifier, body, headers)
    assert "SECRET" not in reason.upper()


def test_a_session_passed_in_is_the_one_that_fetches(alexa, amazon_s3):
    session = requests.Session()
    session.headers["X-Probe"] = "comeback-coach"
    verifier = RequestVerifier(
        alexa.pki.trusted_roots_pem(), session=session, clock=lambda: alexa.now
    )
    body, headers = alexa.signed()
    verifier.verify(headers, body)
    assert amazon_s3.calls[0].request.headers["X-Probe"] == "comeback-coach"


# --- what a request costs before its signature is known ----------------------------------


def spellings_of_the_canonical_url(count):
    """`count` different spellings of CANONICAL that all name the same object."""
    letters = "samazonawscom"  # the host's letters; each bit of i capitalises one
    for i in range(count):
        flips = iter((i >> n) & 1 for n in range(len(letters)))
        cased = "".join(c.upper() if c.isalpha() and next(flips) else c for c in "s3.amazonaws.com")
        port = ":443" if i % 2 else ""
        path = ["/echo.api/echo-api-cert.pem", "/echo.api/./echo-api-cert.pem"][i // 2 % 2]
        detour = f"/echo.api/x{i}/..{path[len('/echo.api') :]}" if i % 3 == 0 else path
        encoded = detour.replace("echo-api", "%65cho-api") if i % 5 == 0 else detour
        yield f"https://{cased}{port}{encoded}"


def test_spellings_of_one_certificate_url_share_one_download(verifier, alexa, amazon_s3):
    urls = list(spellings_of_the_canonical_url(200))
    assert len(set(urls)) == 200
    for url in urls:
        body, headers = alexa.signed(cert_url=url)
        assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"
    assert [call.request.url for call in amazon_s3.calls] == [CANONICAL]


def test_cache_busting_query_strings_cost_no_download_and_keep_the_real_chain(
    verifier, alexa, amazon_s3
):
    body, headers = alexa.signed()
    verifier.verify(headers, body)
    assert len(amazon_s3.calls) == 1

    for i in range(200):
        body, headers = alexa.signed(cert_url=f"{CANONICAL}?v={i}")
        assert refusal(verifier, body, headers) == "cert_url_query"

    body, headers = alexa.signed()
    assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"
    assert len(amazon_s3.calls) == 1


def test_the_chain_in_use_outlives_a_flood_of_other_certificate_urls(verifier, alexa, amazon_s3):
    for i in range(40):
        amazon_s3.get(
            f"https://s3.amazonaws.com/echo.api/cert-{i}.pem", body=alexa.leaf.chain_pem()
        )
    for i in range(40):
        body, headers = alexa.signed()
        verifier.verify(headers, body)
        other = f"https://s3.amazonaws.com/echo.api/cert-{i}.pem"
        body, headers = alexa.signed(cert_url=other)
        verifier.verify(headers, body)
    fetched = [call.request.url for call in amazon_s3.calls]
    assert fetched.count(CANONICAL) == 1
    assert len(fetched) == 41


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("stale", "timestamp_out_of_range"),
        ("other_skill", "skill_id_mismatch"),
        ("short_signature", "signature_malformed"),
        ("long_signature", "signature_malformed"),
        ("not_json", "malformed_json"),
    ],
)
def test_a_forged_request_that_fails_a_cheap_check_costs_no_download(
    verifier, alexa, amazon_s3, change, reason
):
    event = alexa.launch_request()
    if change == "stale":
        event = alexa.launch_request(timestamp=alexa.now - timedelta(hours=1))
    if change == "other_skill":
        event = alexa.launch_request(skill_id="amzn1.ask.skill.someone-else")
    body = b"{forged" if change == "not_json" else alexa.encode(event)
    headers = {
        "SignatureCertChainUrl": CANONICAL,
        "Signature-256": base64.b64encode(bytes(256)).decode(),
    }
    if change == "short_signature":
        headers["Signature-256"] = base64.b64encode(bytes(128)).decode()
    if change == "long_signature":
        headers["Signature-256"] = base64.b64encode(bytes(1024)).decode()
    assert refusal(verifier, body, headers) == reason
    assert len(amazon_s3.calls) == 0


# --- key sizes ------------------------------------------------------------------------------


def test_a_leaf_with_a_1024_bit_rsa_key_from_a_trusted_ca_is_refused(verifier, alexa, amazon_s3):
    leaf = alexa.pki.issue_leaf(key=_rsa_key(1024))
    serve(amazon_s3, leaf)
    event = alexa.launch_request()
    body = alexa.encode(event)
    # A 1024-bit signature is 128 bytes: refused by its length alone, before any download.
    headers = {"SignatureCertChainUrl": CANONICAL, "Signature-256": leaf.sign(body)}
    assert refusal(verifier, body, headers) == "signature_malformed"
    assert len(amazon_s3.calls) == 0
    # Padded to an RSA-2048 signature's length, the download shows the leaf's key too small.
    headers["Signature-256"] = base64.b64encode(bytes(128) + base64.b64decode(leaf.sign(body)))
    headers["Signature-256"] = headers["Signature-256"].decode()
    assert refusal(verifier, body, headers) == "cert_key_too_small"


def test_a_chain_through_a_1024_bit_rsa_intermediate_is_refused(verifier, alexa, amazon_s3):
    weak = make_ca("Weak Server CA", alexa.pki.root, bits=1024)
    leaf = alexa.pki.issue_leaf(issuer=weak)
    serve(amazon_s3, leaf)
    body, headers = alexa.signed(leaf=leaf)
    assert refusal(verifier, body, headers) == "cert_chain_untrusted"
