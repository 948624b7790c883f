"""One family of domain errors with stable machine codes.

The API maps them to RFC 9457 problem details; the UI shows `message` (German)
next to the field named in `field`, or in the error summary.
"""

from typing import Any, ClassVar

from django.http import JsonResponse


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


class BadRequest(DomainError):
    """A request that cannot be read at all (a body that does not parse)."""

    code = "bad_request"
    status = 400
    title = "Die Anfrage ist nicht lesbar."


class RequestTooLarge(DomainError):
    """A body over the installation's limit (`OPENAMT_MAX_REQUEST_MB`), refused unread."""

    code = "request_too_large"
    status = 413
    title = "Die Anfrage ist zu groß."


class UnsupportedMediaType(DomainError):
    """A body in a format the operation does not take (RFC 9110 §15.5.16)."""

    code = "unsupported_media_type"
    status = 415
    title = "Dieses Format wird nicht angenommen."


def problem_body(
    *, status: int, title: str, detail: str = "", code: str = "", **extra: Any
) -> dict[str, Any]:
    """An RFC 9457 problem: `type` is the stable URN of `code` (or of the status)."""
    body: dict[str, Any] = {"type": f"urn:openamt:problem:{code or status}", "title": title}
    body["status"] = status
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body


def problem_response(error: DomainError) -> JsonResponse:
    """A domain error as `application/problem+json`, for clients outside the API's
    own exception handling (middleware, plain views)."""
    extra = {"errors": [{"field": error.field, "message": error.message}]} if error.field else {}
    body = problem_body(
        status=error.status, title=error.title, detail=error.message, code=error.code, **extra
    )
    return JsonResponse(
        body,
        status=error.status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )
