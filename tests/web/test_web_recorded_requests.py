"""Real Alexa requests with Amazon's real signatures and certificate chains.

The recordings live in the shared folder beside the repository (see its
`fixtures/alexa/SOURCES.md`); they are read in place, never copied. All of them predate
`Signature-256`: they carry only the legacy SHA-1 `Signature` header. So the lower-level
pieces of the verifier are checked with real Amazon material at the recorded time, and the
full verifier is shown to refuse them, as the endpoint's policy requires.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.verification import Store

from skill.verification import (
    RequestVerifier,
    VerificationError,
    check_cert_chain_url,
    check_timestamp,
    default_trusted_roots_pem,
    load_certificates,
    parse_event,
    validate_chain,
    verify_signature,
)

SIGNED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "alexa" / "signed"


@dataclass
class Recording:
    id: str
    body: bytes
    headers: dict[str, str]
    chain_pem: bytes
    timestamp: datetime
    chains_to_a_current_root: bool

    @property
    def chain(self) -> list[x509.Certificate]:
        return load_certificates(self.chain_pem)

    def trust_store(self) -> Store:
        """Today's roots where they still reach the chain, else its intermediate.

        The cert-4 and cert-5 chains end at Symantec Class 3 Secure Server CA - G4, issued by
        VeriSign Class 3 Public Primary CA - G5. Browsers distrusted that root in 2018 and it is
        in neither certifi nor this machine's store, nor in the recording, so the intermediate
        Amazon served stands in as the trust anchor: the leaf-to-intermediate signature, the
        validity windows at the recorded time and the server-certificate policy are still
        checked for real, only the final hop to the retired root is not.
        """
        if self.chains_to_a_current_root:
            return Store(load_certificates(default_trusted_roots_pem()))
        return Store(self.chain[1:2])


def _recordings() -> list[Any]:
    index = SIGNED / "index.json"
    if not index.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no recordings at {SIGNED}"))]
    cases = json.loads(index.read_text())["cases"]
    return [
        pytest.param(
            Recording(
                id=case["id"],
                body=(SIGNED / case["body"]).read_bytes(),
                headers=json.loads((SIGNED / case["headers"]).read_text()),
                chain_pem=(SIGNED / case["cert_chain"]).read_bytes(),
                timestamp=datetime.fromisoformat(case["request_timestamp"]),
                chains_to_a_current_root=case[
                    "chain_verifies_with_current_system_roots_at_request_time"
                ],
            ),
            id=case["id"],
        )
        for case in cases
    ]


RECORDINGS = _recordings()


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_certificate_url_passes_the_url_rules(recording):
    url = recording.headers["SignatureCertChainUrl"]
    assert check_cert_chain_url(url) == url


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_chain_is_valid_for_echo_api_at_the_recorded_time(recording):
    leaf, *intermediates = recording.chain
    path = validate_chain(
        leaf, intermediates, store=recording.trust_store(), now=recording.timestamp
    )
    assert path[0] == leaf
    assert len(path) >= 2


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_chain_is_refused_once_its_leaf_has_expired(recording):
    leaf, *intermediates = recording.chain
    with pytest.raises(VerificationError) as caught:
        validate_chain(
            leaf,
            intermediates,
            store=recording.trust_store(),
            now=leaf.not_valid_after_utc.replace(year=leaf.not_valid_after_utc.year + 1),
        )
    assert caught.value.reason == "cert_expired"


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_signature_verifies_over_the_raw_body_bytes(recording):
    leaf = recording.chain[0]
    signature = base64.b64decode(recording.headers["Signature"])
    verify_signature(leaf, signature, recording.body, hashes.SHA1())

    with pytest.raises(VerificationError, match="signature_mismatch"):
        verify_signature(leaf, signature, recording.body)  # it is not a SHA-256 signature
    with pytest.raises(VerificationError, match="signature_mismatch"):
        verify_signature(leaf, signature, recording.body + b" ", hashes.SHA1())


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_recorded_request_is_fresh_at_its_own_timestamp(recording):
    event = parse_event(recording.body)
    check_timestamp(event, recording.timestamp)
    with pytest.raises(VerificationError, match="timestamp_out_of_range"):
        check_timestamp(event, recording.timestamp.replace(year=recording.timestamp.year + 1))


@pytest.mark.parametrize("recording", RECORDINGS)
def test_the_full_verifier_refuses_a_recording_for_lacking_signature_256(recording):
    verifier = RequestVerifier(clock=lambda: recording.timestamp)
    with pytest.raises(VerificationError) as caught:
        verifier.verify(recording.headers, recording.body)
    assert caught.value.reason == "signature_missing"


@pytest.mark.parametrize("recording", RECORDINGS)
def test_a_legacy_signature_passed_off_as_signature_256_is_refused(recording):
    """The whole path runs on real material: URL, fetch, chain at the recorded time, then the
    signature, which fails because it was made with SHA-1."""
    url = recording.headers["SignatureCertChainUrl"]
    # As in trust_store(): the Symantec intermediate stands in for its retired root.
    intermediate = recording.chain[1].public_bytes(serialization.Encoding.PEM)
    anchors = None if recording.chains_to_a_current_root else intermediate
    verifier = RequestVerifier(anchors, clock=lambda: recording.timestamp)
    headers = {"SignatureCertChainUrl": url, "Signature-256": recording.headers["Signature"]}
    with responses.RequestsMock() as amazon_s3:
        amazon_s3.get(url, body=recording.chain_pem)
        with pytest.raises(VerificationError) as caught:
            verifier.verify(headers, recording.body)
    assert caught.value.reason == "signature_mismatch"
