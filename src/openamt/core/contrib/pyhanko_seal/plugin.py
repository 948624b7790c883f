"""A seal with the authority's own certificate and private key, held by the
platform (sealed at rest) and applied by pyHanko: PAdES B-B, or B-T when a
timestamp authority is named."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationInfo, field_validator

from openamt.core.signers.pades import (
    certificates_from_pem,
    local_signer,
    pades_sign,
    private_key_from_pem,
)
from openamt.core.signers.registry import signers


def _public_key_der(pem: str) -> bytes:
    return bytes(certificates_from_pem(pem)[0].public_key.dump())


class PyhankoSealOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Order matters: each validator sees the options declared before it.
    certificate_chain: str = Field(
        title="Zertifikatskette (PEM)",
        description="Das Siegelzertifikat zuerst, dann die Zwischenzertifikate bis zur Wurzel.",
    )
    key_passphrase: str = Field("", title="Passwort des privaten Schlüssels")
    private_key: str = Field(title="Privater Schlüssel (PEM)")
    timestamp_url: HttpUrl | None = Field(
        None,
        title="Zeitstempeldienst",
        description="Adresse eines Zeitstempeldienstes (RFC 3161) für PAdES B-T; leer: B-B.",
    )

    @field_validator("certificate_chain")
    @classmethod
    def _certificates(cls, value: str) -> str:
        try:
            certificates_from_pem(value)
        except ValueError as error:
            raise ValueError(f"Zertifikatskette: {error}") from None
        return value

    @field_validator("private_key")
    @classmethod
    def _key_fits(cls, value: str, info: ValidationInfo) -> str:
        key = private_key_from_pem(value, info.data.get("key_passphrase", ""))
        chain = info.data.get("certificate_chain")
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if chain and public != _public_key_der(chain):
            raise ValueError(
                "Der private Schlüssel gehört nicht zum ersten Zertifikat der Zertifikatskette."
            )
        return value


@signers.register("pyhanko-seal")
class PyhankoSeal:
    label = "Siegel mit eigenem Zertifikat"
    Options = PyhankoSealOptions
    secret_options: frozenset[str] = frozenset({"private_key", "key_passphrase"})

    def sign(
        self, pdf: bytes, options: PyhankoSealOptions, *, reason: str, location: str, name: str
    ) -> bytes:
        """`pdf` sealed with the configured key (PAdES B-B, B-T with a
        timestamp authority); SigningError when it cannot be."""
        signer = local_signer(
            private_key_from_pem(options.private_key, options.key_passphrase),
            certificates_from_pem(options.certificate_chain),
        )
        return pades_sign(
            pdf,
            signer,
            reason=reason,
            location=location,
            name=name,
            timestamp_url=str(options.timestamp_url or ""),
        )
