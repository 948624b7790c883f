"""The OpenID Connect signing keys, read when settings load.

Keys are PEM files in one directory (`OPENAMT_OIDC_KEY_DIR`), named so that
they sort by age: the newest signs, the older ones stay published in the key
set until they are deleted, so tokens signed before a rotation
(`openamt oidc-rotate-key`) still verify.
"""

from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def new_private_key(bits: int = 3072) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def write_new_key(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"oidc-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.pem"
    with path.open("x") as handle:  # never overwrite a key
        path.chmod(0o600)
        handle.write(new_private_key())
    return path


def oidc_keys(directory: Path, *, create: bool) -> tuple[str, list[str]]:
    """(signing key, older keys still published); creates a first key if asked."""
    files = sorted(directory.glob("oidc-*.pem")) if directory.is_dir() else []
    if not files:
        if not create:
            return "", []
        files = [write_new_key(directory)]
    keys = [path.read_text() for path in files]
    return keys[-1], keys[:-1][::-1]
