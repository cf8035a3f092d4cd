"""A throwaway PKI that plays Amazon: a root, an intermediate, and an echo-api.amazon.com leaf
whose key signs request bodies the way Alexa does (SHA256withRSA, base64)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from tests.pki import CERT_URL, issue_leaf, make_ca, sign


@dataclass(frozen=True)
class Pki:
    """The root to trust, the chain Amazon would serve, and the leaf's signing key."""

    root_pem: bytes
    chain_pem: bytes
    leaf_key: rsa.RSAPrivateKey

    def sign(self, body: bytes) -> str:
        """The Signature-256 header for a body."""
        return sign(self.leaf_key, body)

    def headers(self, body: bytes) -> dict[str, str]:
        """The headers Alexa sends with a body."""
        return {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": CERT_URL,
            "Signature-256": self.sign(body),
        }

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write the trusted root and the served chain as PEM files; returns their paths."""
        roots, chain = folder / "trusted-roots.pem", folder / "echo-api-chain.pem"
        roots.write_bytes(self.root_pem)
        chain.write_bytes(self.chain_pem)
        return roots, chain


def make_pki(now: datetime | None = None) -> Pki:
    """A fresh hierarchy valid around `now` (the real time by default)."""
    now = now or datetime.now(UTC)
    root = make_ca("Comeback Bench Root CA", now=now)
    intermediate = make_ca("Comeback Bench Server CA", root, now=now)
    leaf = issue_leaf(
        intermediate,
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=300),
    )
    assert isinstance(leaf.key, rsa.RSAPrivateKey)
    return Pki(root_pem=root.pem(), chain_pem=leaf.chain_pem(), leaf_key=leaf.key)
