"""For tests of seals: a CA apart from the development CA (keys of 2048 bits,
made once per test process) and a small decision rendered as PDF/A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.test import override_settings

from openamt.core.pdf import pdf_render

SAMPLE_TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Bescheid {{ number }}</title></head>
<body><h1>Bescheid</h1><p>{{ text }}</p>
<p>Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats
nach Bekanntgabe Widerspruch erhoben werden.</p></body></html>"""


@lru_cache(maxsize=4)
def sample_decision(*, pdfa: bool = True, number: str = "2026-000001") -> bytes:
    """A one-page decision rendered by `pdf_render` from a template of its own."""
    loader = ("django.template.loaders.locmem.Loader", {"testing/bescheid.html": SAMPLE_TEMPLATE})
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [loader]},
    }
    with override_settings(TEMPLATES=[engine]):
        return pdf_render(
            template="testing/bescheid.html",
            context={"number": number, "text": "Der Bewohnerparkausweis wird erteilt."},
            pdfa=pdfa,
        )


@dataclass(frozen=True)
class Credential:
    """A key with its certificate, and the chain PEM up to the test root."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain_pem: str

    def key_pem(self, passphrase: str = "") -> str:
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode()


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


@lru_cache(maxsize=1)
def root_credential() -> Credential:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("Test-Wurzel-CA"))
        .issuer_name(_name("Test-Wurzel-CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Credential(key, certificate, _pem(certificate))


@lru_cache(maxsize=1)
def tsa_credential() -> Credential:
    """A timestamp authority's certificate (RFC 3161: EKU timeStamping, critical),
    issued by `root_credential()`."""
    root = root_credential()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("Test-Zeitstempeldienst"))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root.key, hashes.SHA256())
    )
    return Credential(key, certificate, _pem(certificate) + root.chain_pem)


@lru_cache(maxsize=8)
def seal_credential(common_name: str) -> Credential:
    """A seal certificate with CN = `common_name`, issued by `root_credential()`."""
    root = root_credential()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root.key, hashes.SHA256())
    )
    return Credential(key, certificate, _pem(certificate) + root.chain_pem)
