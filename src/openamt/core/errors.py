"""One family of domain errors with stable machine codes.

The API maps them to RFC 9457 problem details; the UI shows `message` (German)
next to the field named in `field`, or in the error summary.
"""

from typing import ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Die Anfrage konnte nicht verarbeitet werden."

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"
    status = 404
    title = "Nicht gefunden."


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    title = "Keine Berechtigung."


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    title = "Ungültige Eingabe."


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    title = "Dieser Statuswechsel ist nicht zulässig."


class ImportFormatError(DomainError):
    """A record of an official file does not match its published layout."""

    code = "import_format"
    status = 422
    title = "Die Importdatei ist fehlerhaft."

    def __init__(self, message: str, *, line: int, path: str = "") -> None:
        where = f"{path}, Zeile {line}" if path else f"Zeile {line}"
        super().__init__(f"{where}: {message}")
        self.line = line


class Conflict(DomainError):
    """The request contradicts what an earlier one with the same key created."""

    code = "conflict"
    status = 409
    title = "Widerspruch zu einer früheren Anfrage."
