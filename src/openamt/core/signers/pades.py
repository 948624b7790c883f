"""PAdES signing and validation with pyHanko, shared by every signer plugin
and the development seal.

A signature is appended as an incremental update: the bytes before it stay
exactly as rendered, so a PDF/A document stays PDF/A (ISO 19005-2 §6.4 admits
signatures made this way). The signature field is invisible: a visible stamp
would be drawn by pyHanko in a standard font it does not embed, which PDF/A
forbids, and the Bescheid's template already says in its text that it is
sealed and how to check it.
"""

from __future__ import annotations

import asyncio
import datetime
import io
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers.pdf_cms import Signer as PyhankoSigner
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from openamt.core.signers.base import SigningError

T = TypeVar("T")

# The digest of every seal: SHA-256 is what the BSI's TR-02102-1 and ETSI TS
# 119 312 name for signatures made now.
DIGEST = "sha256"
FIELD_NAME = "Siegel"
TIMESTAMP_SECONDS = 30


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of `coroutine` (pyHanko works asynchronously), also when the
    calling thread already runs an event loop (a browser test's thread): then
    in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def certificates_from_pem(data: str | bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in PEM text `data`, in order; ValueError (German) if none."""
    raw = data.encode() if isinstance(data, str) else data
    try:
        certificates = list(load_certs_from_pemder_data(raw)) if raw.strip() else []
    except ValueError:
        certificates = []
    if not certificates or b"-----BEGIN CERTIFICATE-----" not in raw:
        raise ValueError("Es ist kein Zertifikat im PEM-Format („-----BEGIN CERTIFICATE-----“).")
    return certificates


def private_key_from_pem(data: str, passphrase: str = "") -> PrivateKeyTypes:
    """The private key in PEM text `data`, opened with `passphrase` (empty: none).
    ValueError (German) when it cannot be read or opened. Kept for the process:
    checking an RSA key's consistency costs a sixth of a second, every seal reads it."""
    return _private_key(data, passphrase)


@lru_cache(maxsize=64)
def _private_key(data: str, passphrase: str) -> PrivateKeyTypes:
    try:
        return serialization.load_pem_private_key(
            data.encode(), password=passphrase.encode() or None
        )
    except TypeError:
        raise ValueError(
            "Der private Schlüssel ist mit einem Passwort geschützt: bitte das Passwort angeben."
            if not passphrase
            else "Der private Schlüssel ist nicht geschützt: bitte kein Passwort angeben."
        ) from None
    except ValueError:
        raise ValueError(
            "Der private Schlüssel lässt sich nicht lesen (PEM erwartet; stimmt das Passwort?)."
        ) from None


class LocalSigner(PyhankoSigner):
    """pyHanko's signer for a key held in memory (RSA with PKCS#1 v1.5, or
    ECDSA), signing with the loaded key instead of decoding it anew for
    every signature as pyHanko's SimpleSigner does."""

    def __init__(self, key: PrivateKeyTypes, chain: list[asn1_x509.Certificate]) -> None:
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValueError("Nur RSA- und EC-Schlüssel können siegeln.")
        mechanism = "sha256_rsa" if isinstance(key, rsa.RSAPrivateKey) else "sha256_ecdsa"
        super().__init__(
            signing_cert=chain[0],
            cert_registry=SimpleCertificateStore.from_certs(chain),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}),
        )
        self.key = key

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if digest_algorithm != DIGEST:
            raise SigningError(f"Nicht unterstütztes Hashverfahren {digest_algorithm}.")
        if isinstance(self.key, rsa.RSAPrivateKey):
            if dry_run:
                return bytes(self.key.key_size // 8)
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        assert isinstance(self.key, ec.EllipticCurvePrivateKey)
        if dry_run:  # a DER-encoded (r, s) is at most this long
            return bytes(2 * (self.key.key_size // 8) + 16)
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def local_signer(key: PrivateKeyTypes, chain: list[asn1_x509.Certificate]) -> LocalSigner:
    """A pyHanko signer holding `key` in memory; `chain` is the signer's
    certificate first, then the certificates up to (and possibly including) its root."""
    return LocalSigner(key, chain)


def _field_name(reader: PdfFileReader) -> str:
    taken = {name for name, _, _ in fields.enumerate_sig_fields(reader)}
    number = 1
    while (name := FIELD_NAME if number == 1 else f"{FIELD_NAME}-{number}") in taken:
        number += 1
    return name


def _producer_consistent(writer: IncrementalPdfFileWriter) -> None:
    """Name pyHanko alone as the producer in the Info dictionary too: it writes
    exactly that into the XMP metadata of the signed revision, but appends it
    to an existing Info /Producer, and PDF/A (ISO 19005-2 §6.6.2.3.1) wants the
    two to agree."""
    try:
        entries = dict(writer.trailer["/Info"].items())
    except KeyError:
        entries = {}
    entries[generic.NameObject("/Producer")] = generic.TextStringObject(VENDOR)
    writer.set_info(generic.DictionaryObject(entries))


def pades_sign(
    pdf: bytes,
    signer: PyhankoSigner,
    *,
    reason: str,
    location: str,
    name: str,
    timestamp_url: str = "",
) -> bytes:
    """`pdf` with a PAdES baseline signature by `signer` in a new invisible
    field: B-B, or B-T with a signature timestamp from `timestamp_url` (an
    RFC 3161 timestamp authority). Raises SigningError when the document cannot
    be read or the signer fails; a SigningError of the signer passes unchanged."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        _producer_consistent(writer)
        field_name = _field_name(writer.prev)
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm=DIGEST,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None,
            location=location or None,
            name=name or None,
        )
        timestamper = (
            RequestsHTTPTimeStamper(timestamp_url, timeout=TIMESTAMP_SECONDS)
            if timestamp_url
            else None
        )
        pdf_signer = signers.PdfSigner(
            metadata,
            signer,
            timestamper=timestamper,
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name),
        )
        output = run_async(pdf_signer.async_sign_pdf(writer))
    except SigningError:
        raise
    except (PyhankoSigningError, ValueError, OSError) as error:
        raise SigningError(
            f"Das Dokument konnte nicht gesiegelt werden ({type(error).__name__})."
        ) from error
    return bytes(output.getvalue())


@dataclass(frozen=True)
class SealValidation:
    """What a check of a document's seal found. `intact`: the signed bytes are
    unchanged; `valid`: the signature fits the certificate's key; `trusted`:
    the certificate leads to a trusted root; `whole_document`: nothing was
    appended after the seal. `problems` says in German what is wrong (empty
    when the seal holds)."""

    intact: bool
    valid: bool
    trusted: bool
    whole_document: bool
    signer_name: str
    signing_time: datetime.datetime | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


NO_SEAL = "Das Dokument trägt kein Siegel."
UNREADABLE = "Das Dokument ist beschädigt und lässt sich nicht prüfen."


def _failed(problem: str) -> SealValidation:
    return SealValidation(False, False, False, False, "", None, (problem,))


def pades_validate(pdf: bytes, *, trust_roots: Iterable[asn1_x509.Certificate]) -> SealValidation:
    """Check the newest signature of `pdf` with pyHanko's validator, trusting
    exactly `trust_roots`. Revocation is not fetched (no network from the
    platform): a chain to a trusted root counts. The newest signature must
    cover the whole file, so it vouches for every earlier revision too."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        embedded = reader.embedded_signatures
    except Exception:
        return _failed(UNREADABLE)
    if not embedded:
        return _failed(NO_SEAL)
    context = ValidationContext(
        trust_roots=list(trust_roots), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = run_async(
            async_validate_pdf_signature(embedded[-1], signer_validation_context=context)
        )
    except Exception:
        return _failed(UNREADABLE)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problems = []
    # pyHanko judges trust only for an intact, valid signature: the first failure says it all.
    if not status.intact:
        problems.append("Das Dokument wurde nach dem Siegeln verändert.")
    elif not status.valid:
        problems.append("Die Signatur passt nicht zum Siegelzertifikat.")
    elif not status.trusted:
        problems.append("Das Siegelzertifikat stammt von keiner vertrauenswürdigen Stelle.")
    if status.intact and not whole:
        problems.append("Nach dem Siegel wurde dem Dokument etwas angefügt.")
    timestamp = status.timestamp_validity
    return SealValidation(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_document=whole,
        signer_name=str(status.signing_cert.subject.native.get("common_name", "")),
        signing_time=timestamp.timestamp if timestamp else status.signer_reported_dt,
        problems=tuple(problems),
    )
