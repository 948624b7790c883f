import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from openamt.catalogue.api import ServiceOut
from openamt.core.schemas import SEARCH_TEXT_PATTERN, ProblemOut
from openamt.organisations.api import AuthorityOut
from openamt.regions.models import Region
from openamt.responsibility.selectors import responsibility_answer

router = Router()


class FindQuery(Schema):
    service: str = Field(
        ...,
        min_length=1,
        max_length=100,
        pattern=SEARCH_TEXT_PATTERN,
        description="Leistungsschlüssel oder Suchtext",
    )
    place: str = Field(
        ...,
        min_length=1,
        max_length=100,
        pattern=SEARCH_TEXT_PATTERN,
        description="PLZ, Ortsname, Ortsteil, AGS oder ARS",
    )


class PlaceOut(Schema):
    ags: str
    ars: str
    name: str
    kreis_ars: str

    @staticmethod
    def resolve_kreis_ars(obj: Region) -> str:
        return obj.ars[:5]


class FindingOut(Schema):
    authority: AuthorityOut
    source: str = Field(description="entry (Eintrag der Behörde) oder rule (Regel)")
    reason: str
    online_service_url: str


class AnswerOut(Schema):
    service: ServiceOut
    place: PlaceOut | None = Field(description="die Gemeinde, wenn der Ort eindeutig ist")
    responsible: FindingOut | None
    choices: list[PlaceOut] = Field(
        description="Gemeinden zur Auswahl, wenn der Ort mehrdeutig ist und die Antwort davon abhängt"
    )
    more_choices: int = Field(
        description="weitere Gemeinden über die ersten 50 hinaus: der Ort sollte genauer angegeben werden"
    )


def _find_cache_key(service: str, place: str) -> str:
    digest = hashlib.sha256(f"{service}\x1f{place}".encode()).hexdigest()
    return f"responsibilities:find:{digest}"


@router.get(
    "/find",
    response={200: AnswerOut, 404: ProblemOut, 422: ProblemOut},
    summary="Zuständige Behörde für eine Leistung an einem Ort",
    description=(
        "Antworten werden bis zu OPENAMT_ANSWER_CACHE_SECONDS (Standard 60 s) zwischengespeichert; "
        "Änderungen an Regeln und Einträgen werden spätestens danach sichtbar."
    ),
)
def find(request: HttpRequest, query: Query[FindQuery]) -> HttpResponse:
    seconds = settings.OPENAMT_ANSWER_CACHE_SECONDS
    key = _find_cache_key(query.service, query.place)
    cached = cache.get(key) if seconds else None
    if cached is not None:
        return HttpResponse(cached, content_type="application/json")
    answer = responsibility_answer(service_query=query.service, place_query=query.place)
    payload = AnswerOut.model_validate(
        {
            "service": answer.service,
            "place": answer.place,
            "responsible": answer.finding,
            "choices": answer.choices,
            "more_choices": answer.more_choices,
        },
        from_attributes=True,
    ).model_dump_json()
    if seconds:
        cache.set(key, payload, seconds)
    return HttpResponse(payload, content_type="application/json")
