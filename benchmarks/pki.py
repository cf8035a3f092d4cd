"""A throwaway PKI that plays Amazon: a root, an intermediate, and an echo-api.amazon.com leaf
whose key signs request bodies the way Alexa does (SHA256withRSA, base64)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
ECHO_API = "echo-api.amazon.com"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class Pki:
    """The root to trust, the chain Amazon would serve, and the leaf's signing key."""

    root_pem: bytes
    chain_pem: bytes
    leaf_key: rsa.RSAPrivateKey

    def sign(self, body: bytes) -> str:
        """The Signature-256 header for a body."""
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

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
    root_key, ca_key, leaf_key = _key(), _key(), _key()
    root = (
        x509.CertificateBuilder()
        .subject_name(_name("Comeback Bench Root CA"))
        .issuer_name(_name("Comeback Bench Root CA"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    intermediate = (
        x509.CertificateBuilder()
        .subject_name(_name("Comeback Bench Server CA"))
        .issuer_name(root.subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(ECHO_API))
        .issuer_name(intermediate.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=300))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(ECHO_API)]), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return Pki(
        root_pem=root.public_bytes(pem),
        chain_pem=leaf.public_bytes(pem) + intermediate.public_bytes(pem),
        leaf_key=leaf_key,
    )
