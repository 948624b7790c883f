"""The platform's REST API (`/api/v1/`): routers of the apps, RFC 9457 errors."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from openamt.cases.api import router as cases_router
from openamt.catalogue.api import router as catalogue_router
from openamt.core.errors import BadRequest, DomainError, UnsupportedMediaType, problem_body
from openamt.forms.api import router as forms_router
from openamt.mailbox.api import router as mailbox_router
from openamt.organisations.api import router as organisations_router
from openamt.regions.api import router as regions_router
from openamt.responsibility.api import router as responsibility_router
from openamt.submissions.api import router as submissions_router


class OpenAmtAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Error responses are documented as application/problem+json (RFC 9457)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {
                            "application/problem+json": content["application/json"]
                        }
        return schema


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259)")


class JsonBodies(Parser):
    """Request bodies are JSON (RFC 8259) in UTF-8 and nothing else: another
    content type, a multipart body without its boundary among them, is 415;
    a body that is not strict JSON (NaN, Infinity, broken encoding) is 400."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        kind = request.content_type or ""
        charset = (request.content_params or {}).get("charset", "utf-8").lower()
        if kind != "application/json" or charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                "Die Schnittstelle nimmt nur JSON an (Content-Type: application/json; charset=utf-8)."
            )
        try:
            data: dict[str, Any] = json.loads(request.body, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise BadRequest("Der Inhalt ist kein gültiges JSON.") from None
        return data


api = OpenAmtAPI(
    title="OpenAmt API",
    version="1",
    description=(
        "Öffentliche Schnittstelle von OpenAmt. Listen antworten mit "
        '`{"items": [...], "count": N}`; Fehler als RFC 9457 `application/problem+json`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    parser=JsonBodies(),
)


def problem(
    request: HttpRequest, *, status: int, title: str, detail: str = "", code: str = "", **extra: Any
) -> HttpResponse:
    body = problem_body(status=status, title=title, detail=detail, code=code, **extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
    return problem(
        request, status=exc.status, title=exc.title, detail=exc.message, code=exc.code, **extra
    )


# Schema errors (pydantic's types) in German; others keep pydantic's words.
_SCHEMA_MESSAGES = {
    "missing": "Diese Angabe fehlt.",
    "string_type": "Hier wird Text erwartet.",
    "string_too_short": "Mindestens {min_length} Zeichen.",
    "string_too_long": "Höchstens {max_length} Zeichen.",
    "string_pattern_mismatch": "Die Angabe hat nicht die erwartete Form.",
    "too_long": "Höchstens {max_length} Einträge.",
    "uuid_parsing": "Hier wird eine UUID erwartet.",
    "uuid_type": "Hier wird eine UUID erwartet.",
    "bool_parsing": "Hier wird true oder false erwartet.",
    "bool_type": "Hier wird true oder false erwartet.",
    "dict_type": "Hier wird ein Objekt erwartet.",
    "list_type": "Hier wird eine Liste erwartet.",
    "model_attributes_type": "Hier wird ein Objekt erwartet.",
}
BASE64_MESSAGE = "Der Inhalt ist nicht gültig Base64-kodiert (RFC 4648, mit Auffüllung „=“)."


def _schema_message(error: dict[str, Any]) -> str:
    loc = error.get("loc", ())
    if error.get("type") == "string_pattern_mismatch" and loc and loc[-1] == "content_base64":
        return BASE64_MESSAGE
    message = _SCHEMA_MESSAGES.get(error.get("type", ""))
    try:
        return message.format(**(error.get("ctx") or {})) if message else str(error.get("msg", ""))
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "message": _schema_message(e),
        }
        for e in exc.errors
    ]
    return problem(
        request,
        status=422,
        title="Ungültige Eingabe.",
        detail="Die Anfrage enthält ungültige Parameter.",
        code="invalid_input",
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(request, status=401, title="Anmeldung erforderlich.", code="unauthenticated")


_HTTP_TITLES = {400: "Die Anfrage ist nicht lesbar (kein gültiges JSON)."}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja wraps whatever the body parser raises in a 400.
    if isinstance(exc.__cause__, DomainError):
        return _domain_error(request, exc.__cause__)
    title = _HTTP_TITLES.get(exc.status_code, str(exc))
    return problem(request, status=exc.status_code, title=title, code=str(exc.status_code))


api.add_router("/regions", regions_router, tags=["Gebiete"])
api.add_router("/authorities", organisations_router, tags=["Behörden"])
api.add_router("/services", catalogue_router, tags=["Leistungen"])
api.add_router("/responsibilities", responsibility_router, tags=["Zuständigkeiten"])
api.add_router("/postfach", mailbox_router, tags=["Postfach"])
api.add_router("/forms", forms_router, tags=["Formulare"])
api.add_router("/submissions", submissions_router, tags=["Anträge"])
api.add_router("/cases", cases_router, tags=["Vorgänge"])
