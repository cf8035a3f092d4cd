"""A throwaway PKI that plays Amazon: CAs, echo-api leaves, and Alexa-style signatures.

Shared by the web endpoint's tests and the HTTP benchmark."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
ECHO_API = "echo-api.amazon.com"
SERVER_AND_CLIENT_AUTH = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@dataclass
class Authority:
    """A CA: its key and certificate."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(
    common_name: str, issuer: Authority | None = None, *, now: datetime = NOW, bits: int = 2048
) -> Authority:
    """A CA valid ten years either side of `now`, self-signed or issued by `issuer`."""
    key = _rsa_key(bits)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.cert.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
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


def issue_leaf(
    issuer: Authority,
    key: PrivateKey,
    *,
    sans: Iterable[str] | None = (ECHO_API,),
    not_before: datetime = NOW - timedelta(days=30),
    not_after: datetime = NOW + timedelta(days=300),
    eku: Iterable[x509.ObjectIdentifier] | None = SERVER_AND_CLIENT_AUTH,
) -> Leaf:
    """An echo-api leaf (SAN, validity and extended key usage as asked) and its chain."""
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
