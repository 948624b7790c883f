"""The registry of signers and the one function callers use."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from openamt.core.errors import DomainError
from openamt.core.registry import Registry
from openamt.core.signers.base import Signer, SigningError
from openamt.core.signers.pades import certificates_from_pem

signers: Registry[Signer] = Registry("Siegeldienst")


def pdf_sign(
    *, plugin_id: str, data: Mapping[str, Any], pdf: bytes, reason: str, location: str, name: str
) -> bytes:
    """`pdf` sealed by signer `plugin_id` with `data` (its public options and
    unsealed secrets in one mapping). Raises SigningError when the options are
    missing or invalid (an incomplete set-up is the operator's to fix, and the
    document stays unsealed) or when the signer fails; NotFound for an unknown id."""
    signer = signers.get(plugin_id)
    try:
        options = signers.options_validate(plugin_id, data)
    except DomainError as error:
        raise SigningError(
            f"Das Siegel „{signer.label}“ ist nicht vollständig eingerichtet: {error.message}"
        ) from None
    return signer.sign(pdf, options, reason=reason, location=location, name=name)


def trust_roots_configured() -> list[asn1_x509.Certificate]:
    """The CA certificates in the PEM files of OPENAMT_SEAL_TRUST_ROOTS, in order.
    ImproperlyConfigured, naming the file, for a file that is missing or holds
    no certificate: that is the operator's error (checked at start, `openamt check`)."""
    roots = []
    for name in settings.OPENAMT_SEAL_TRUST_ROOTS:
        path = Path(name)
        try:
            roots.extend(certificates_from_pem(path.read_bytes()))
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise ImproperlyConfigured(f"OPENAMT_SEAL_TRUST_ROOTS: {path}: {reason}") from None
    return roots
