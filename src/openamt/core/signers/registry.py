"""The registry of signers and the one function callers use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openamt.core.errors import DomainError
from openamt.core.registry import Registry
from openamt.core.signers.base import Signer, SigningError

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
