from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openamt.core.errors import BadRequest, DomainError, RequestTooLarge, problem_response

# Everything is served from our own origin; no inline scripts or styles.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def content_security_policy() -> str:
    """The site's policy; a coat of arms served from another origin
    (OPENAMT_COAT_OF_ARMS as a URL) is the one image allowed from there."""
    parts = urlsplit(settings.OPENAMT_COAT_OF_ARMS.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return CONTENT_SECURITY_POLICY
    origin = f"{parts.scheme}://{parts.netloc}"
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {origin}")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class DomainErrorMiddleware:
    """A domain error no page caught (a form rule that cannot be evaluated, say)
    is shown as what it is, with its German message and status, not as a
    technical error. The API answers these itself as RFC 9457 problems."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return refusal(request, exception)


# URL namespaces whose clients are programs: they are answered with RFC 9457
# problems (application/problem+json), every other page with a German HTML page.
PROBLEM_NAMESPACES = frozenset({"api", "routing"})


def _for_machines(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and not PROBLEM_NAMESPACES.isdisjoint(match.namespaces)


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A domain error as the caller reads it: a problem for the API, a page for people."""
    if _for_machines(request):
        return problem_response(error)
    return render(
        request,
        "refused.html",
        {"title": error.title, "message": error.message},
        status=error.status,
    )


def _too_large() -> RequestTooLarge:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return RequestTooLarge(f"Eine Anfrage darf höchstens {megabytes} MB groß sein.")


class RequestLimitsMiddleware:
    """A body over the limit (`DATA_UPLOAD_MAX_MEMORY_SIZE`, set by
    `OPENAMT_MAX_REQUEST_MB`) is answered with 413 before anything reads it,
    whether the view reads JSON, a form or uploaded files; Django's own check
    (RequestDataTooBig, a 400 by default) is answered the same way. It runs
    before the CSRF check, which reads the form of every POST."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return refusal(request, BadRequest("Die Angabe Content-Length ist ungültig."))
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return refusal(request, _too_large())
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return refusal(request, _too_large())
        return None
