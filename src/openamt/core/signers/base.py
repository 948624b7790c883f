"""The contract of a signer plugin: it seals a PDF with a PAdES signature."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel

from openamt.core.errors import DomainError


class SigningError(DomainError):
    """The document could not be sealed now (the seal service failed, the key
    does not fit). Nothing is issued unsealed; the message names no personal data."""

    code = "signing_failed"
    status = 503
    title = "Das Dokument konnte nicht gesiegelt werden."


class Signer(Protocol):
    # A short German name for choices and messages ("Siegel mit eigenem Zertifikat").
    label: str

    @property
    def Options(self) -> type[BaseModel]: ...

    # Options that are secrets (private key, client secret): sealed at rest.
    secret_options: frozenset[str]

    def sign(self, pdf: bytes, options: Any, *, reason: str, location: str, name: str) -> bytes:
        """`pdf` with a PAdES signature (baseline B-B, or B-T with a timestamp
        authority) appended as an incremental update, so the signed bytes are
        the input followed by the signature revision. `options` is an instance
        of the plugin's Options; `reason`, `location` and `name` go into the
        signature dictionary (/Reason, /Location, /Name). Raises SigningError
        when the document cannot be sealed."""
        ...
