"""A remote (qualified) seal service through the Cloud Signature Consortium
API v2: the key stays with the trust service provider, only the hash of what
is signed leaves the platform.

The platform logs in with OAuth2 client credentials (`oauth2/token`), reads
the credential's certificate chain and key algorithm (`credentials/info`) and
has pyHanko build the CMS signature around the value that `signatures/signHash`
returns for the hash of the signed attributes. A credential that asks for a
person's authorisation per signature (authMode "explicit" or "oauth2code",
CSC API v2 §11.5) cannot seal unattended and is refused with that reason.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from typing import Any
from urllib.parse import urlsplit

import requests
from asn1crypto import algos
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator
from pyhanko.sign.signers.pdf_cms import Signer as PyhankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from openamt.core.signers.base import SigningError
from openamt.core.signers.pades import DIGEST, pades_sign
from openamt.core.signers.registry import signers

TIMEOUT_SECONDS = 30
# OIDs of CSC API v2 (signHash: hashAlgorithmOID, signAlgo).
SHA256_OID = "2.16.840.1.101.3.4.2.1"
RSA_OID = "1.2.840.113549.1.1.1"  # rsaEncryption: PKCS#1 v1.5 over the hash's DigestInfo
ECDSA_SHA256_OID = "1.2.840.10045.4.3.2"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _https_unless_local(value: HttpUrl) -> HttpUrl:
    # The client secret and the access token travel with every call.
    if value.scheme != "https" and value.host not in LOCAL_HOSTS:
        raise ValueError("Die Adresse muss mit https:// beginnen.")
    return value


class CscSealOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: HttpUrl = Field(
        title="Adresse der Siegel-Schnittstelle",
        description="Basisadresse der CSC-API v2, z. B. https://siegel.example/csc/v2",
    )
    credential_id: str = Field(title="Credential-ID", min_length=1, max_length=200)
    client_id: str = Field(title="Client-ID", min_length=1, max_length=200)
    client_secret: str = Field(title="Client-Secret", min_length=1, max_length=500)
    token_url: HttpUrl | None = Field(
        None,
        title="Token-Adresse (OAuth2)",
        description="Leer: <Adresse der Siegel-Schnittstelle>/oauth2/token",
    )
    timestamp_url: HttpUrl | None = Field(
        None,
        title="Zeitstempeldienst",
        description="Adresse eines Zeitstempeldienstes (RFC 3161) für PAdES B-T; leer: B-B.",
    )

    _base = field_validator("base_url")(_https_unless_local)

    @field_validator("token_url")
    @classmethod
    def _token(cls, value: HttpUrl | None) -> HttpUrl | None:
        return _https_unless_local(value) if value else None


class CscSession:
    """One sealing's calls to the service, with the access token of its login."""

    def __init__(self, options: CscSealOptions) -> None:
        self.options = options
        self.base = str(options.base_url).rstrip("/")
        self.token = ""

    def _post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        host = urlsplit(url).netloc
        try:
            response = requests.post(url, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as error:
            raise SigningError(
                f"Der Siegeldienst {host} ist nicht erreichbar ({type(error).__name__})."
            ) from error
        if response.status_code >= 300:
            code = ""
            with contextlib.suppress(ValueError, AttributeError):
                code = str(response.json().get("error", ""))[:60]
            raise SigningError(
                f"Der Siegeldienst {host} antwortete {response.status_code}"
                + (f" ({code})." if code else ".")
            )
        try:
            body = response.json()
        except ValueError:
            raise SigningError(f"Der Siegeldienst {host} antwortete kein JSON.") from None
        if not isinstance(body, dict):
            raise SigningError(f"Der Siegeldienst {host} antwortete unerwartet.")
        return body

    def login(self) -> None:
        """Obtain an access token with the client credentials (RFC 6749 §4.4)."""
        url = str(self.options.token_url or f"{self.base}/oauth2/token")
        body = self._post(
            url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.options.client_id,
                "client_secret": self.options.client_secret,
            },
        )
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise SigningError("Der Siegeldienst gab kein Zugriffstoken aus.")
        self.token = token

    def call(self, endpoint: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self._post(
            f"{self.base}/{endpoint}",
            json=payload,
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def credential(self) -> list[asn1_x509.Certificate]:
        """The credential's certificate chain, signer first (`credentials/info`).
        SigningError when the key or certificate is not usable or the
        credential needs a person's authorisation for every signature."""
        info = self.call(
            "credentials/info",
            {
                "credentialID": self.options.credential_id,
                "certificates": "chain",
                "certInfo": False,
                "authInfo": True,
            },
        )
        key = info.get("key") or {}
        cert = info.get("cert") or {}
        if key.get("status", "enabled") != "enabled":
            raise SigningError("Der Schlüssel des Siegels ist beim Siegeldienst gesperrt.")
        if cert.get("status", "valid") != "valid":
            raise SigningError("Das Siegelzertifikat ist laut Siegeldienst nicht gültig.")
        if info.get("authMode", "implicit") != "implicit":
            raise SigningError(
                "Das Siegel verlangt eine Freigabe je Signatur und kann nicht automatisch siegeln."
            )
        try:
            chain = [
                asn1_x509.Certificate.load(base64.b64decode(item))
                for item in cert.get("certificates") or []
            ]
            for certificate in chain:
                certificate.native  # noqa: B018 - parses fully, so bad data fails here
        except (ValueError, TypeError):
            chain = []
        if not chain:
            raise SigningError("Der Siegeldienst lieferte kein lesbares Siegelzertifikat.")
        return chain

    def sign_hash(self, digest: bytes, sign_algo: str) -> bytes:
        """The raw signature value of `digest` (SHA-256) from `signatures/signHash`."""
        body = self.call(
            "signatures/signHash",
            {
                "credentialID": self.options.credential_id,
                "hashes": [base64.b64encode(digest).decode()],
                "hashAlgorithmOID": SHA256_OID,
                "signAlgo": sign_algo,
            },
        )
        values = body.get("signatures")
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            try:
                return base64.b64decode(values[0], validate=True)
            except ValueError:
                pass
        raise SigningError("Der Siegeldienst lieferte keine lesbare Signatur.")


class CscExternalSigner(PyhankoSigner):
    """pyHanko's side of the remote seal: it hands out only the hash of the
    signed attributes and checks the value it gets back against the
    certificate before it goes into the document."""

    def __init__(self, session: CscSession, chain: list[asn1_x509.Certificate]) -> None:
        public_key = serialization.load_der_public_key(chain[0].public_key.dump())
        if not isinstance(public_key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise SigningError("Der Schlüsseltyp des Siegelzertifikats wird nicht unterstützt.")
        mechanism = "sha256_rsa" if isinstance(public_key, rsa.RSAPublicKey) else "sha256_ecdsa"
        super().__init__(
            signing_cert=chain[0],
            cert_registry=SimpleCertificateStore.from_certs(chain),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": mechanism}),
        )
        self.session = session
        self.public_key = public_key

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if digest_algorithm != DIGEST:
            raise SigningError(f"Nicht unterstütztes Hashverfahren {digest_algorithm}.")
        key = self.public_key
        if dry_run:  # pyHanko's size estimate: no call to the service
            size = (
                key.key_size // 8
                if isinstance(key, rsa.RSAPublicKey)
                else 2 * (key.key_size // 8) + 16
            )
            return bytes(size)
        digest = hashlib.sha256(data).digest()
        sign_algo = RSA_OID if isinstance(key, rsa.RSAPublicKey) else ECDSA_SHA256_OID
        value = await asyncio.to_thread(self.session.sign_hash, digest, sign_algo)
        try:
            if isinstance(key, rsa.RSAPublicKey):
                key.verify(value, digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
            else:
                key.verify(value, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        except InvalidSignature:
            raise SigningError(
                "Die Signatur des Siegeldienstes passt nicht zum Siegelzertifikat."
            ) from None
        return value


@signers.register("csc-seal")
class CscSeal:
    label = "Fernsiegel (CSC-Schnittstelle)"
    Options = CscSealOptions
    secret_options: frozenset[str] = frozenset({"client_secret"})

    def sign(
        self, pdf: bytes, options: CscSealOptions, *, reason: str, location: str, name: str
    ) -> bytes:
        """`pdf` sealed by the remote service (PAdES B-B, B-T with a timestamp
        authority); SigningError naming the service's host when it fails."""
        session = CscSession(options)
        session.login()
        signer = CscExternalSigner(session, session.credential())
        return pades_sign(
            pdf,
            signer,
            reason=reason,
            location=location,
            name=name,
            timestamp_url=str(options.timestamp_url or ""),
        )
