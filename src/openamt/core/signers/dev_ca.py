"""A development CA and the seal certificates it issues, so that `make run`
and the tests seal documents with nothing configured.

Outside production (as `core/signing.py` decides: the development settings,
or the tests, where `OPENAMT_DEV_CA_DIR` is None and everything lives in
memory for the process) the CA is created on first use in
`OPENAMT_DEV_CA_DIR`: `ca.pem` holds its key and certificate, `<subject>.pem`
each seal's key and certificate. Nothing it issues is trusted anywhere but by
this installation's own validator outside production.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
import threading
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from openamt.core.signers.pades import certificates_from_pem, private_key_from_pem

# On disk the keys last years; in memory (tests) they live for one process and
# only have to be made fast.
KEY_BITS_ON_DISK = 3072
KEY_BITS_IN_MEMORY = 2048
CA_YEARS = 10
SEAL_YEARS = 2
# A seal certificate this close to its end is replaced before use.
RENEW_BEFORE = datetime.timedelta(days=30)

_memory: dict[str, str] = {}
_lock = threading.Lock()


def dev_ca_allowed() -> bool:
    """Whether this installation may seal with the development CA: only outside
    production (development settings, or the tests' in-memory CA)."""
    return bool(settings.OPENAMT_DEVELOPMENT) or settings.OPENAMT_DEV_CA_DIR is None


def _key_bits() -> int:
    return KEY_BITS_IN_MEMORY if settings.OPENAMT_DEV_CA_DIR is None else KEY_BITS_ON_DISK


def _pem(key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> str:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (key_pem + certificate.public_bytes(serialization.Encoding.PEM)).decode()


def _read(name: str) -> str | None:
    directory: Path | None = settings.OPENAMT_DEV_CA_DIR
    if directory is None:
        return _memory.get(name)
    path = directory / f"{name}.pem"
    return path.read_text(encoding="ascii") if path.exists() else None


def _write(name: str, text: str, *, replace: bool) -> str:
    """Store `text` as `name`; unless `replace`, a file another process wrote
    first wins (so web and worker processes agree on one CA) and is returned."""
    directory: Path | None = settings.OPENAMT_DEV_CA_DIR
    if directory is None:
        if replace:
            _memory[name] = text
        return _memory.setdefault(name, text)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.pem"
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(text)
        if replace:
            os.replace(temporary, path)
            return text
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text(encoding="ascii")
        return text
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _split(text: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = private_key_from_pem(text)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, x509.load_pem_x509_certificate(text.encode())


def _ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    text = _read("ca")
    if text is None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=_key_bits())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.OPENAMT_SITE_NAME),
                x509.NameAttribute(
                    NameOID.COMMON_NAME, "Entwicklungs-CA (nicht für den Echtbetrieb)"
                ),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        public = key.public_key()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=CA_YEARS * 365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256())
        )
        text = _write("ca", _pem(key, certificate), replace=False)
    return _split(text)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation: what a seal on a decision asserts
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(common_name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    ca_key, ca_certificate = _ca()
    key = rsa.generate_private_key(public_exponent=65537, key_size=_key_bits())
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=SEAL_YEARS * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _current(certificate: x509.Certificate, common_name: str, ca: x509.Certificate) -> bool:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    now = datetime.datetime.now(datetime.UTC)
    return (
        bool(names)
        and names[0].value == common_name[:64]
        and certificate.issuer == ca.subject
        and certificate.not_valid_after_utc - RENEW_BEFORE > now
    )


def dev_ca_root() -> asn1_x509.Certificate:
    """The development CA's certificate (created on first use)."""
    with _lock:
        _, certificate = _ca()
    return certificates_from_pem(certificate.public_bytes(serialization.Encoding.PEM))[0]


def dev_seal(
    subject: str, common_name: str
) -> tuple[rsa.RSAPrivateKey, list[asn1_x509.Certificate]]:
    """The key and certificate chain (seal certificate, CA) of the development
    seal kept as `subject` (e.g. "authority-17") with CN = `common_name`.
    Issued on first use, and again when the name changed or the certificate
    nears its end."""
    if not re.fullmatch(r"[a-z0-9-]+", subject):
        raise ValueError(f"invalid subject {subject!r}")
    with _lock:
        _, ca_certificate = _ca()
        text = _read(subject)
        if text is not None:
            key, certificate = _split(text)
        if text is None or not _current(certificate, common_name, ca_certificate):
            key, certificate = _issue(common_name)
            key, certificate = _split(_write(subject, _pem(key, certificate), replace=True))
    chain = [certificate, ca_certificate]
    return key, [
        certificates_from_pem(item.public_bytes(serialization.Encoding.PEM))[0] for item in chain
    ]
