"""Verify that a web request really comes from Alexa, as Amazon requires of HTTPS endpoints.

The rules (https://developer.amazon.com/docs/custom-skills/host-a-custom-skill-as-a-web-service.html):
the `SignatureCertChainUrl` points into Amazon's bucket, the chain it names leads to a trusted
root, the leaf is valid now for `echo-api.amazon.com`, `Signature-256` is a SHA256withRSA
signature of the raw body by the leaf's key, and the request is fresh. Every refusal raises
`VerificationError` with a short reason that never repeats anything taken from the request.

Whatever can be checked without the certificate is checked before it is fetched: both headers,
the URL's form, the signature's form, the envelope, its timestamp and skill id. So a forged or
stale request costs no download, and chains are cached by the URL in Amazon's own spelling.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import posixpath
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import certifi
import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import DNSName
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from skill.alexa.context import MAX_EVENT_DEPTH, deeper_than, read_event

ECHO_API_DNS_NAME = "echo-api.amazon.com"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_HEADER = "SignatureCertChainUrl"
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(seconds=3600)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
FETCH_TIMEOUT_SECONDS = 2.0
MAX_CHAIN_BYTES = 64 * 1024
MAX_CACHED_CHAINS = 16
#: Amazon's chains are RSA; a key under 2048 bits (leaf or CA) is refused, as the Web PKI does.
MIN_RSA_KEY_BITS = 2048
#: A SHA256withRSA signature is as long as the key's modulus: 256 bytes for 2048 bits, up to
#: 512 for 4096. Anything else cannot be valid, and is refused before a download.
SIGNATURE_BYTES = range(MIN_RSA_KEY_BITS // 8, 4096 // 8 + 1)
MAX_SIGNATURE_HEADER_CHARS = 1024  # base64 of 512 bytes is 684 characters

_PEM_BLOCK = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n.+?-----END CERTIFICATE-----",
    re.DOTALL,
)
# warnings.catch_warnings() swaps process-wide state; parse certificates one thread at a time.
_PARSE_LOCK = threading.Lock()

Clock = Callable[[], datetime]


class VerificationError(Exception):
    """The request cannot be shown to come from Alexa; `reason` says which rule failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def load_certificates(pem: bytes, *, skip_unreadable: bool = True) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle, in order.

    Some roots that stores still ship (Starfield Services Root G2 among them, which Amazon's
    own chains end with) have a zero serial number; cryptography warns about those and may one
    day refuse them, so the warning is silenced and an unreadable block is skipped.
    """
    certificates: list[x509.Certificate] = []
    with _PARSE_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in _PEM_BLOCK.findall(pem):
            try:
                certificates.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                if not skip_unreadable:
                    raise
    return certificates


def default_trusted_roots_pem() -> bytes:
    """The certifi bundle, Mozilla's list of trusted roots."""
    with open(certifi.where(), "rb") as bundle:
        return bundle.read()


@functools.lru_cache(maxsize=64)  # Alexa uses a handful of URLs; a refusal is not cached
def check_cert_chain_url(url: str) -> str:
    """Apply Amazon's rules to a `SignatureCertChainUrl`; return the normalised URL to fetch.

    The scheme and host are compared case-insensitively, the path case-sensitively after
    resolving `.` and `..` segments (so `/echo.api/../echo.api/x` is fine and
    `/echo.api/../other/x` is not), and a port, when given, must be 443. Amazon's URLs carry
    no query string: one that does is refused (each `?v=1`, `?v=2`… would otherwise name a
    "new" certificate to download); a fragment is never sent, so it is dropped.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise VerificationError("cert_url_malformed") from exc
    if parts.scheme.lower() != "https":
        raise VerificationError("cert_url_scheme")
    if parts.username is not None or parts.password is not None:
        raise VerificationError("cert_url_host")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise VerificationError("cert_url_host")
    if port is not None and port != 443:
        raise VerificationError("cert_url_port")
    if parts.query or url.strip().split("#", 1)[0].endswith("?"):
        raise VerificationError("cert_url_query")
    path = unquote(parts.path)
    if "\\" in path or any(ord(char) < 0x20 for char in path):
        raise VerificationError("cert_url_path")
    normalised = posixpath.normpath(path) if path else ""
    if not normalised.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError("cert_url_path")
    return urlunsplit(("https", CERT_URL_HOST, quote(normalised), "", ""))


def validate_chain(
    leaf: x509.Certificate,
    intermediates: list[x509.Certificate],
    *,
    store: Store,
    now: datetime,
) -> list[x509.Certificate]:
    """Check the leaf is Alexa's and valid at `now`, and build its path to a root in `store`.

    Returns the path, leaf first and trust anchor last.
    """
    check_leaf(leaf, now)
    verifier = (
        PolicyBuilder().store(store).time(now).build_server_verifier(DNSName(ECHO_API_DNS_NAME))
    )
    try:
        # cryptography's Web PKI policy also refuses CA keys under 2048 bits in the path.
        return verifier.verify(leaf, intermediates)
    except ChainError as exc:
        raise VerificationError("cert_chain_untrusted") from exc


def check_key_size(certificate: x509.Certificate) -> None:
    """Refuse a leaf's RSA key under 2048 bits (cryptography's policy allows it in a leaf)."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_KEY_BITS:
        raise VerificationError("cert_key_too_small")


def check_leaf(leaf: x509.Certificate, now: datetime) -> None:
    """The leaf's validity window, its SAN (exactly `echo-api.amazon.com`) and its EKU."""
    if now < leaf.not_valid_before_utc:
        raise VerificationError("cert_not_yet_valid")
    if now > leaf.not_valid_after_utc:
        raise VerificationError("cert_expired")
    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound as exc:
        raise VerificationError("cert_san_mismatch") from exc
    # Exact match: cryptography would also accept a wildcard such as *.amazon.com.
    if ECHO_API_DNS_NAME not in {name.lower() for name in san.get_values_for_type(x509.DNSName)}:
        raise VerificationError("cert_san_mismatch")
    # cryptography accepts a leaf without any EKU; Amazon's carries serverAuth, so demand it.
    try:
        usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise VerificationError("cert_eku") from exc
    if ExtendedKeyUsageOID.SERVER_AUTH not in usages:
        raise VerificationError("cert_eku")
    check_key_size(leaf)


def verify_signature(
    certificate: x509.Certificate,
    signature: bytes,
    body: bytes,
    algorithm: hashes.HashAlgorithm | None = None,
) -> None:
    """Check an RSA PKCS#1 v1.5 signature of `body` (SHA-256 unless told otherwise)."""
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise VerificationError("cert_key_type")
    try:
        public_key.verify(signature, body, padding.PKCS1v15(), algorithm or hashes.SHA256())
    except InvalidSignature as exc:
        raise VerificationError("signature_mismatch") from exc


def decode_signature(value: str) -> bytes:
    """The bytes of a base64 signature header, as long as a 2048- to 4096-bit RSA signature."""
    if len(value) > MAX_SIGNATURE_HEADER_CHARS:
        raise VerificationError("signature_malformed")
    try:
        signature = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VerificationError("signature_malformed") from exc
    if len(signature) not in SIGNATURE_BYTES:
        raise VerificationError("signature_malformed")
    return signature


def check_timestamp(event: Mapping[str, Any], now: datetime) -> None:
    """`request.timestamp` within 150 seconds of now (an hour for skill events)."""
    request = event.get("request")
    if not isinstance(request, Mapping):
        raise VerificationError("request_missing")
    raw = request.get("timestamp")
    if not isinstance(raw, str):
        raise VerificationError("timestamp_missing")
    try:
        stamp = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise VerificationError("timestamp_malformed") from exc
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    request_type = request.get("type")
    skill_event = isinstance(request_type, str) and request_type.startswith(SKILL_EVENT_PREFIX)
    tolerance = SKILL_EVENT_TOLERANCE if skill_event else REQUEST_TOLERANCE
    if abs(now - stamp) > tolerance:
        raise VerificationError("timestamp_out_of_range")


def check_skill_id(event: Mapping[str, Any], skill_id: str | None) -> None:
    """Refuse a request for another skill when a skill id is configured."""
    if skill_id is not None and read_event(event).skill_id != skill_id:
        raise VerificationError("skill_id_mismatch")


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, case-insensitively, from any mapping."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


@dataclass(frozen=True)
class TrustedChain:
    """A validated chain's leaf, and the window in which every certificate of its path is valid."""

    leaf: x509.Certificate
    valid_from: datetime
    valid_until: datetime


class RequestVerifier:
    """Verifies Alexa requests; one instance is shared by every thread of a process."""

    def __init__(
        self,
        trusted_roots_pem: bytes | None = None,
        *,
        session: requests.Session | None = None,
        clock: Clock = utc_now,
        skill_id: str | None = None,
    ) -> None:
        roots = load_certificates(
            default_trusted_roots_pem() if trusted_roots_pem is None else trusted_roots_pem
        )
        if not roots:
            raise ValueError("the trusted roots bundle holds no certificate")
        self._store = Store(roots)
        # None: a fresh session per fetch (fetches are rare), as Session is not thread-safe.
        self._session = session
        self._clock = clock
        self._skill_id = skill_id
        # Least recently used first, so the chain in use stays; only validated chains enter.
        self._cache: OrderedDict[str, TrustedChain] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], raw_body: bytes) -> dict[str, Any]:
        """Check every rule and return the parsed request envelope, or raise."""
        cert_url = header(headers, CERT_URL_HEADER)
        if not cert_url:
            raise VerificationError("cert_url_missing")
        signature_value = header(headers, SIGNATURE_HEADER)
        if not signature_value:
            raise VerificationError("signature_missing")
        fetch_url = check_cert_chain_url(cert_url)
        signature = decode_signature(signature_value)
        # The envelope is read before the signature is checked, but nothing in it is used
        # until then: the timestamp and skill id only decide refusals that need no download.
        event = parse_event(raw_body)
        now = self._clock()
        check_timestamp(event, now)
        check_skill_id(event, self._skill_id)
        chain = self.trusted_chain(fetch_url, now)
        verify_signature(chain.leaf, signature, raw_body)
        return event

    def trusted_chain(self, fetch_url: str, now: datetime) -> TrustedChain:
        """The validated chain behind a (checked) certificate URL, from the cache if possible."""
        with self._lock:
            cached = self._cache.get(fetch_url)
            if cached is not None:
                self._cache.move_to_end(fetch_url)
        if cached is not None:
            if cached.valid_from <= now <= cached.valid_until:
                return cached
            with self._lock:
                self._cache.pop(fetch_url, None)
        certificates = load_certificates(self._fetch(fetch_url))
        if not certificates:
            raise VerificationError("cert_chain_unreadable")
        leaf, intermediates = certificates[0], certificates[1:]
        path = validate_chain(leaf, intermediates, store=self._store, now=now)
        trusted = TrustedChain(
            leaf=leaf,
            valid_from=max(cert.not_valid_before_utc for cert in path),
            valid_until=min(cert.not_valid_after_utc for cert in path),
        )
        with self._lock:
            self._cache[fetch_url] = trusted
            self._cache.move_to_end(fetch_url)
            while len(self._cache) > MAX_CACHED_CHAINS:
                self._cache.popitem(last=False)
        return trusted

    def _fetch(self, url: str) -> bytes:
        session = self._session or requests.Session()
        try:
            with session.get(
                url, timeout=FETCH_TIMEOUT_SECONDS, allow_redirects=False, stream=True
            ) as response:
                if response.status_code != 200:
                    raise VerificationError("cert_fetch_failed")
                body = bytearray()
                for chunk in response.iter_content(chunk_size=8192):
                    body += chunk
                    if len(body) > MAX_CHAIN_BYTES:
                        raise VerificationError("cert_chain_too_large")
                return bytes(body)
        except requests.RequestException as exc:
            raise VerificationError("cert_fetch_failed") from exc
        finally:
            if session is not self._session:
                session.close()


def parse_event(raw_body: bytes) -> dict[str, Any]:
    """The request envelope: a JSON object no deeper than Alexa's would be, or a refusal."""
    try:
        event = json.loads(raw_body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise VerificationError("malformed_json") from exc
    except RecursionError as exc:  # nested deeper than the parser's own recursion allows
        raise VerificationError("json_too_deep") from exc
    if not isinstance(event, dict):
        raise VerificationError("malformed_json")
    if deeper_than(event, MAX_EVENT_DEPTH):
        raise VerificationError("json_too_deep")
    return event
