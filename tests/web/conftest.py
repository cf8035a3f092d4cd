"""Fixtures for the web endpoint: a throwaway PKI that plays Amazon, signed Alexa requests."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.pki import (
    CERT_URL,
    ECHO_API,
    NOW,
    SERVER_AND_CLIENT_AUTH,
    Authority,
    Leaf,
    PrivateKey,
    _rsa_key,
    issue_leaf,
    make_ca,
)

SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-00000000c0ac"
ENV_KEYS = (
    "ALEXA_SKILL_ID",
    "ALEXA_VERIFY",
    "ALEXA_TRUSTED_ROOTS",
    "DATABASE_URL",
    "USER_ID_PEPPER",
    "AUTO_MIGRATE",
    "COACH_DATA_DIR",
)


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
        return issue_leaf(
            issuer or self.intermediate,
            key or self.leaf_key,
            sans=sans,
            not_before=not_before,
            not_after=not_after,
            eku=eku,
        )

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
