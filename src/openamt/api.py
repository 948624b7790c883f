"""The platform's REST API (`/api/v1/`): routers of the apps, RFC 9457 errors."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from openamt.catalogue.api import router as catalogue_router
from openamt.core.errors import DomainError
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


api = OpenAmtAPI(
    title="OpenAmt API",
    version="1",
    description=(
        "Öffentliche Schnittstelle von OpenAmt. Listen antworten mit "
        '`{"items": [...], "count": N}`; Fehler als RFC 9457 `application/problem+json`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
)


def problem(
    request: HttpRequest, *, status: int, title: str, detail: str = "", code: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:openamt:problem:{code or status}",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"errors": [{"field": exc.field, "message": exc.message}]} if exc.field else {}
    return problem(
        request, status=exc.status, title=exc.title, detail=exc.message, code=exc.code, **extra
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "message": e.get("msg", ""),
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
    title = _HTTP_TITLES.get(exc.status_code, str(exc))
    return problem(request, status=exc.status_code, title=title, code=str(exc.status_code))


api.add_router("/regions", regions_router, tags=["Gebiete"])
api.add_router("/authorities", organisations_router, tags=["Behörden"])
api.add_router("/services", catalogue_router, tags=["Leistungen"])
api.add_router("/responsibilities", responsibility_router, tags=["Zuständigkeiten"])
api.add_router("/postfach", mailbox_router, tags=["Postfach"])
api.add_router("/forms", forms_router, tags=["Formulare"])
api.add_router("/submissions", submissions_router, tags=["Anträge"])
