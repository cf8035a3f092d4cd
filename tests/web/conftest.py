"""Fixtures for the web endpoint: a throwaway PKI that plays Amazon, signed Alexa requests."""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000c0ac"
ECHO_API = "echo-api.amazon.com"
SERVER_AND_CLIENT_AUTH = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)
ENV_KEYS = (
    "ALEXA_SKILL_ID",
    "ALEXA_VERIFY",
    "ALEXA_TRUSTED_ROOTS",
    "DATABASE_URL",
    "USER_ID_PEPPER",
    "AUTO_MIGRATE",
    "COACH_DATA_DIR",
)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Authority:
    """A CA: its key and certificate."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(common_name: str, issuer: Authority | None = None) -> Authority:
    key = _rsa_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=3650))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    return Authority(key, builder.sign(issuer.key if issuer else key, hashes.SHA256()))


@dataclass
class Leaf:
    """An end-entity certificate, its key, and the chain Amazon would serve with it."""

    key: PrivateKey
    cert: x509.Certificate
    intermediates: list[x509.Certificate] = field(default_factory=list)

    def chain_pem(self) -> bytes:
        return b"".join(
            cert.public_bytes(serialization.Encoding.PEM)
            for cert in [self.cert, *self.intermediates]
        )

    def sign(self, body: bytes, algorithm: hashes.HashAlgorithm | None = None) -> str:
        return sign(self.key, body, algorithm)


def sign(key: PrivateKey, body: bytes, algorithm: hashes.HashAlgorithm | None = None) -> str:
    algorithm = algorithm or hashes.SHA256()
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(body, padding.PKCS1v15(), algorithm)
    else:
        signature = key.sign(body, ec.ECDSA(algorithm))
    return base64.b64encode(signature).decode()


@dataclass
class Pki:
    """A root, an intermediate and an echo-api leaf, plus a second, untrusted hierarchy."""

    root: Authority
    intermediate: Authority
    leaf_key: rsa.RSAPrivateKey
    other_root: Authority
    other_intermediate: Authority

    def trusted_roots_pem(self) -> bytes:
        return self.root.pem()

    def issue_leaf(
        self,
        *,
        sans: Iterable[str] | None = (ECHO_API,),
        not_before: datetime = NOW - timedelta(days=30),
        not_after: datetime = NOW + timedelta(days=300),
        eku: Iterable[x509.ObjectIdentifier] | None = SERVER_AND_CLIENT_AUTH,
        issuer: Authority | None = None,
        key: PrivateKey | None = None,
    ) -> Leaf:
        issuer = issuer or self.intermediate
        key = key or self.leaf_key
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(ECHO_API))
            .issuer_name(issuer.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                critical=False,
            )
        )
        if sans is not None:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(name) for name in sans]),
                critical=False,
            )
        if eku is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        return Leaf(key, builder.sign(issuer.key, hashes.SHA256()), [issuer.cert])

    def untrusted_leaf(self) -> Leaf:
        return self.issue_leaf(issuer=self.other_intermediate)


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = make_ca("Comeback Test Root CA")
    other_root = make_ca("Someone Else's Root CA")
    return Pki(
        root=root,
        intermediate=make_ca("Comeback Test Server CA", root),
        leaf_key=_rsa_key(),
        other_root=other_root,
        other_intermediate=make_ca("Someone Else's Server CA", other_root),
    )


@pytest.fixture(scope="session")
def good_leaf(pki: Pki) -> Leaf:
    return pki.issue_leaf()


class FakeAlexa:
    """Builds requests the way Alexa does, signed by a leaf of the test PKI."""

    now = NOW
    cert_url = CERT_URL
    skill_id = SKILL_ID

    def __init__(self, pki: Pki, leaf: Leaf) -> None:
        self.pki = pki
        self.leaf = leaf

    def launch_request(
        self,
        *,
        timestamp: datetime = NOW,
        skill_id: str | None = SKILL_ID,
        user_id: str | None = None,
        request_type: str = "LaunchRequest",
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """A request envelope shaped like the ones Alexa sends (a LaunchRequest by default).

        It carries no apiAccessToken, so the skill never calls the Settings API (no network).
        """
        user = {"userId": user_id or f"amzn1.ask.account.TEST{uuid.uuid4().hex.upper()}"}
        application = {"applicationId": skill_id} if skill_id else {}
        return {
            "version": "1.0",
            "session": {
                "new": True,
                "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
                "application": application,
                "user": user,
            },
            "context": {
                "System": {
                    "application": application,
                    "user": user,
                    "device": {
                        "deviceId": "amzn1.ask.device.TESTDEVICE",
                        "supportedInterfaces": {},
                    },
                }
            },
            "request": {
                "type": request_type,
                "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                "timestamp": timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "locale": locale,
            },
        }

    @staticmethod
    def encode(event: dict[str, Any]) -> bytes:
        return json.dumps(event, separators=(",", ":")).encode()

    def signed(
        self,
        event: dict[str, Any] | bytes | None = None,
        *,
        leaf: Leaf | None = None,
        cert_url: str = CERT_URL,
    ) -> tuple[bytes, dict[str, str]]:
        """A body and the headers Alexa would send with it."""
        if event is None:
            event = self.launch_request()
        body = event if isinstance(event, bytes) else self.encode(event)
        headers = {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": cert_url,
            "Signature-256": (leaf or self.leaf).sign(body),
        }
        return body, headers


@pytest.fixture
def alexa(pki: Pki, good_leaf: Leaf) -> FakeAlexa:
    return FakeAlexa(pki, good_leaf)


@pytest.fixture
def amazon_s3(good_leaf: Leaf) -> Iterator[responses.RequestsMock]:
    """Stands in for s3.amazonaws.com: serves the good chain at CERT_URL; nothing else answers."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(CERT_URL, body=good_leaf.chain_pem(), content_type="application/x-pem-file")
        yield mock


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own settings must not leak into these tests."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def roots_file(tmp_path: Path, pki: Pki) -> Path:
    path = tmp_path / "trusted-roots.pem"
    path.write_bytes(pki.trusted_roots_pem())
    return path


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "coach.db"


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table in an SQLite file (empty when the file does not exist)."""
    if not path.exists():
        return {}
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }
    connection.close()
    return counts


@pytest.fixture
def database_rows(database_path: Path) -> Callable[[], dict[str, int]]:
    """Counts the rows of every table in the test database."""
    return lambda: row_counts(database_path)


@pytest.fixture
def app_config(tmp_path: Path, roots_file: Path, database_path: Path) -> dict[str, Any]:
    return {
        "DATABASE_URL": f"sqlite:///{database_path}",
        "COACH_DATA_DIR": str(tmp_path),
        "USER_ID_PEPPER": "test-pepper",
        "ALEXA_SKILL_ID": SKILL_ID,
        "ALEXA_TRUSTED_ROOTS": str(roots_file),
        "CLOCK": lambda: NOW,
    }
