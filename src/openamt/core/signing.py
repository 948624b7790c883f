"""The platform's signing key (RSA 4096, PS512), as FIT-Connect requires.

The private key lives in a JWK file (`OPENAMT_SIGNING_KEY_FILE`); outside
production a missing file is created on first use. The public part, with a
self-signed certificate, is published as a JWK set.
"""

import base64
import datetime
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jws
from joserfc.jwk import RSAKey

ALGORITHM = "PS512"


def _generate() -> dict[str, Any]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, settings.OPENAMT_SITE_NAME)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .sign(private, hashes.SHA512())
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = RSAKey.import_key(pem)
    data = key.as_dict(private=True)
    data["kid"] = key.thumbprint()
    data["x5c"] = [base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()]
    return data


@lru_cache(maxsize=1)
def _key_data() -> dict[str, Any]:
    path: Path | None = settings.OPENAMT_SIGNING_KEY_FILE
    if path is None:  # tests: one key per process
        return _generate()
    if not path.exists():
        if not settings.OPENAMT_DEVELOPMENT:
            raise ImproperlyConfigured(f"Signaturschlüssel fehlt: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_generate()), encoding="utf-8")
        path.chmod(0o600)
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def signing_key() -> RSAKey:
    data = _key_data()
    return RSAKey.import_key({k: v for k, v in data.items() if k != "x5c"}, {"kid": data["kid"]})


def public_jwks() -> dict[str, Any]:
    data = _key_data()
    public = signing_key().as_dict(private=False)
    public.update({"kid": data["kid"], "alg": ALGORITHM, "key_ops": ["verify"], "x5c": data["x5c"]})
    return {"keys": [public]}


def sign(claims: dict[str, Any]) -> str:
    key = signing_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "jwt"}
    payload = json.dumps(claims, separators=(",", ":"), sort_keys=True)
    return jws.serialize_compact(header, payload, key, algorithms=[ALGORITHM])
