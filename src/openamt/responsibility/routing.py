"""A FIT-Connect Routing API 2.0 compatible surface (`/routing/v1/`).

Field names, parameters and the problem format follow FITKO's published
description, so that clients written for FIT-Connect can ask this platform.
Routes are signed (JWS, PS512) with the platform key published at
`/routing/v1/.well-known/jwks.json`.
"""

import re
import uuid
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from openamt.catalogue.models import Service
from openamt.core import signing
from openamt.core.errors import NotFound
from openamt.organisations.models import Authority
from openamt.regions.constants import Level, RegionKind
from openamt.regions.models import Postcode, Region
from openamt.regions.names import place_fold
from openamt.regions.selectors import MAX_AREA_GEMEINDEN, region_get
from openamt.responsibility.selectors import responsibility_find_many

API_VERSION = {"major": 2, "minor": 0, "patch": 0}
# The description's patterns, for fullmatch and ASCII digits only. The search
# expression pattern is rewritten without nested quantifiers (no backtracking).
LEIKA = re.compile(r"99[0-9]{12}")
ARS = re.compile(r"[0-9]{2}|[0-9]{3}|[0-9]{5}|[0-9]{9}|[0-9]{12}")
AGS = re.compile(r"[0-9]{2}|[0-9]{3}|[0-9]{5}|[0-9]{8}")
AREA_ID = re.compile(r"[0-9]{1,18}")
SEARCH_EXPRESSION = re.compile(r"\*?[^*]{2,}\*?")
MAX_EXPRESSION = 100
MAX_LIMIT = 500
INT32_MAX = 2**31 - 1
ERROR_DOCS = "https://docs.fitko.de/fit-connect/docs/status-and-error-codes"


def _problem(request: HttpRequest, status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": ERROR_DOCS,
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.build_absolute_uri(),
        },
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _bad_request(request: HttpRequest, detail: str) -> JsonResponse:
    return _problem(request, 400, "Bad Request", detail)


def _paging(request: HttpRequest) -> tuple[int, int] | str:
    try:
        offset = int(request.GET.get("offset", "0"))
        limit = int(request.GET.get("limit", "100"))
    except ValueError:
        return "offset und limit müssen ganze Zahlen sein."
    if not 0 <= offset <= INT32_MAX or not 1 <= limit <= MAX_LIMIT:
        return f"0 <= offset <= {INT32_MAX} und 1 <= limit <= {MAX_LIMIT}."
    return offset, limit


def _area(request: HttpRequest) -> Region | str | None:
    given = {name: request.GET[name] for name in ("ars", "ags", "areaId") if name in request.GET}
    if len(given) != 1:
        return "Es muss genau ein Gebietsparameter (ars, ags oder areaId) gesetzt sein."
    name, value = next(iter(given.items()))
    pattern = {"ars": ARS, "ags": AGS, "areaId": AREA_ID}[name]
    if not pattern.fullmatch(value):
        return f"Der Parameter {name} hat nicht das vorgeschriebene Format."
    if name == "areaId":
        return Region.objects.active().filter(pk=int(value)).first()
    try:
        return region_get(key=value)  # an 8-digit AGS or an ARS of any level
    except NotFound:  # an unknown area has no routes
        return None


def _gemeinden(region: Region) -> list[Region]:
    """Every Gemeinde of the area: an explicit entry may cover only one of them."""
    if region.level == Level.GEMEINDE:
        return [region]
    gemeinden = Region.objects.active().at_level(Level.GEMEINDE).within(region.ars)
    return list(gemeinden.only("pk", "ars", "ags", "name").order_by("ars")[:MAX_AREA_GEMEINDEN])


def _route(authority: Authority, service: Service, area: Region) -> dict[str, Any]:
    claims = {
        "iss": settings.OPENAMT_PUBLIC_URL,
        "submissionHost": settings.OPENAMT_PUBLIC_URL.split("://", 1)[-1],
        "destinationId": str(authority.destination_id),
        "services": [
            {
                "gebietIDs": [
                    f"urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:{area.ars_full}"
                ],
                "leistungIDs": [f"urn:de:fim:leika:leistung:{service.leika_key}"],
            }
        ],
        "iat": int(timezone.now().timestamp()),
        "jti": str(uuid.uuid4()),
    }
    route: dict[str, Any] = {
        "destinationId": str(authority.destination_id),
        "destinationSignature": signing.sign(claims),
        "destinationName": authority.name,
        "origin": "OpenAmt",
    }
    if authority.street or authority.city:
        route["address"] = {
            key: value
            for key, value in (
                ("street", authority.street),
                ("zip", authority.postcode),
                ("city", authority.city),
            )
            if value
        }
    contact = {k: v for k, v in (("tel", authority.phone), ("email", authority.email)) if v}
    if contact:
        route["contactPersons"] = [{"name": authority.name, **contact}]
    return route


@csrf_exempt  # read-only machine API without cookies; other methods get 405
@require_GET
def routes(request: HttpRequest) -> JsonResponse:
    leika_key = request.GET.get("leikaKey", "")
    if not LEIKA.fullmatch(leika_key):
        return _bad_request(
            request,
            "Der Parameter leikaKey fehlt oder ist kein Leistungsschlüssel (99 und 12 Ziffern).",
        )
    area = _area(request)
    if isinstance(area, str):
        return _bad_request(request, area)
    paging = _paging(request)
    if isinstance(paging, str):
        return _bad_request(request, paging)
    offset, limit = paging
    service = Service.objects.filter(leika_key=leika_key).first()
    found: list[dict[str, Any]] = []
    if service is not None and area is not None:
        authorities: dict[int, Authority] = {}
        findings = responsibility_find_many(service=service, regions=_gemeinden(area))
        for finding in findings.values():
            if finding:
                authorities.setdefault(finding.authority.pk, finding.authority)
        selected = sorted(authorities.values(), key=lambda a: a.name)[offset : offset + limit]
        found = [_route(authority, service, area) for authority in selected]
        total = len(authorities)
    else:
        total = 0
    return JsonResponse(
        {"count": len(found), "offset": offset, "totalCount": total, "routes": found},
        json_dumps_params={"ensure_ascii": False},
    )


def _area_type(region: Region) -> str:
    if region.level == Level.GEMEINDE and region.kind not in ("61", "62"):
        return "Gemeinde"
    return region.get_kind_display() if region.kind else region.get_level_display()


def _expression_filter(expression: str) -> Q:
    """FIT-Connect search expressions: "Mag*" matches a word starting with
    "Mag", "*burg" any name containing "burg", digits a postcode."""
    term = place_fold(expression.strip("*"))
    if term.isdigit():
        return Q(pk__in=Postcode.objects.filter(code__startswith=term).values("region_id"))
    if expression.startswith("*"):
        return Q(name_folded__contains=term)
    word_start = Q(name_folded__startswith=term)
    for separator in (" ", "/", "("):  # hyphens fold to spaces
        word_start |= Q(name_folded__contains=separator + term)
    if expression.endswith("*"):
        return word_start
    return word_start & (
        Q(name_folded=term) | Q(name_folded__regex=rf"(^|[ /(]){re.escape(term)}($|[ ,/)])")
    )


@csrf_exempt  # read-only machine API without cookies; other methods get 405
@require_GET
def areas(request: HttpRequest) -> JsonResponse:
    expressions = request.GET.getlist("areaSearchexpression")
    if not 1 <= len(expressions) <= 10 or not all(
        len(e) <= MAX_EXPRESSION and SEARCH_EXPRESSION.fullmatch(e) and e.isprintable()
        for e in expressions
    ):
        return _bad_request(
            request, "areaSearchexpression: ein bis zehn Suchbegriffe mit mindestens zwei Zeichen."
        )
    paging = _paging(request)
    if isinstance(paging, str):
        return _bad_request(request, paging)
    offset, limit = paging
    # Verbandsfreie Gemeinden appear once, as the Gemeinde.
    matches = Region.objects.active().exclude(level=Level.VERBAND, kind=RegionKind.VERBANDSFREI)
    for expression in expressions:
        matches = matches.filter(_expression_filter(expression))
    matches = matches.order_by("name_folded", "ars")
    total = matches.count()
    page = list(matches[offset : offset + limit])
    return JsonResponse(
        {
            "count": len(page),
            "offset": offset,
            "totalCount": total,
            "areas": [{"id": str(r.pk), "name": r.name, "type": _area_type(r)} for r in page],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # read-only machine API without cookies; other methods get 405
@require_GET
def info(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"version": API_VERSION})


@csrf_exempt  # read-only machine API without cookies; other methods get 405
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(signing.public_jwks(), content_type="application/jwk-set+json")
