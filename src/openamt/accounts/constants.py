from django.db import models


class AssuranceLevel(models.TextChoices):
    """Vertrauensniveau of an authenticated session (eIDAS: low, substantial, high)."""

    LOW = "niedrig", "niedrig"
    SUBSTANTIAL = "substanziell", "substanziell"
    HIGH = "hoch", "hoch"


LEVEL_RANK: dict[str, int] = {
    AssuranceLevel.LOW: 1,
    AssuranceLevel.SUBSTANTIAL: 2,
    AssuranceLevel.HIGH: 3,
}


# The level names relying parties and identity providers exchange as `acr`:
# eIDAS levels of assurance (Implementing Regulation (EU) 2015/1502) and the
# STORK-QAA levels BundID sends. STORK QAA 1 and 2 are both below
# "substanziell"; the Servicekonto reports the lower one unless asked for 2.
EIDAS_LOA: dict[str, str] = {
    AssuranceLevel.LOW: "http://eidas.europa.eu/LoA/low",
    AssuranceLevel.SUBSTANTIAL: "http://eidas.europa.eu/LoA/substantial",
    AssuranceLevel.HIGH: "http://eidas.europa.eu/LoA/high",
}
STORK_QAA: dict[str, str] = {
    AssuranceLevel.LOW: "STORK-QAA-Level-1",
    AssuranceLevel.SUBSTANTIAL: "STORK-QAA-Level-3",
    AssuranceLevel.HIGH: "STORK-QAA-Level-4",
}
# Every `acr` value understood and the level it means.
ACR_LEVELS: dict[str, str] = {
    **{uri: level for level, uri in EIDAS_LOA.items()},
    **{name: level for level, name in STORK_QAA.items()},
    "STORK-QAA-Level-2": AssuranceLevel.LOW,
}


def level_at_least(level: str, required: str) -> bool:
    """Whether a session's level satisfies a requirement; unknown levels satisfy nothing."""
    return LEVEL_RANK.get(level, 0) >= LEVEL_RANK[AssuranceLevel(required)]


class SecurityEventKind(models.TextChoices):
    REGISTERED = "registered", "Konto angelegt"
    EMAIL_VERIFIED = "email_verified", "E-Mail-Adresse bestätigt"
    LOGIN = "login", "Anmeldung"
    LOGIN_FAILED = "login_failed", "Fehlgeschlagene Anmeldung"
    LOGOUT = "logout", "Abmeldung"
    TOTP_ADDED = "totp_added", "Zweiter Faktor (Authenticator-App) eingerichtet"
    TOTP_REMOVED = "totp_removed", "Zweiter Faktor (Authenticator-App) entfernt"
    RECOVERY_USED = "recovery_used", "Wiederherstellungscode verwendet"
    SESSION_REVOKED = "session_revoked", "Sitzung beendet"
    PASSWORD_CHANGED = "password_changed", "Passwort geändert"
    PASSKEY_ADDED = "passkey_added", "Passkey hinzugefügt"
    PASSKEY_REMOVED = "passkey_removed", "Passkey entfernt"
