"""Secrets kept at rest only encrypted (client secrets, webhook keys of
authorities' delivery endpoints): Fernet (AES-128-CBC with HMAC-SHA256) under
a key derived from OPENAMT_SEALING_KEY, or from SECRET_KEY where none is set.
Earlier keys in OPENAMT_SEALING_OLD_KEYS still open what they sealed, so a
key can be rotated without a migration."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"openamt-sealing").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=1)
def _keys() -> MultiFernet:
    current = settings.OPENAMT_SEALING_KEY or settings.SECRET_KEY
    return MultiFernet([_fernet(current), *(_fernet(k) for k in settings.OPENAMT_SEALING_OLD_KEYS)])


def seal(text: str) -> str:
    return _keys().encrypt(text.encode()).decode() if text else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "Ein gespeichertes Geheimnis lässt sich mit keinem Schlüssel öffnen."
        ) from None


class SealedField(models.TextField):
    """A text column that holds its value sealed; the model sees the plain text."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return unseal(value or "")

    def get_prep_value(self, value: Any) -> str:
        return seal(str(value or ""))
