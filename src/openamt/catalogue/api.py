from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from openamt.catalogue import selectors
from openamt.catalogue.models import Service
from openamt.core.pagination import Pagination
from openamt.core.schemas import ProblemOut, search_text

router = Router()


class ServiceFilter(Schema):
    q: str = search_text("Suchbegriffe, z. B. „Wohnsitz anmelden“")
    lebenslage: str | None = Field(None, max_length=100, pattern=r"^[^\x00-\x1f]*$")
    themenfeld: str | None = Field(None, max_length=100, pattern=r"^[^\x00-\x1f]*$")


class ServiceOut(Schema):
    leika_key: str
    in_leika: bool
    name: str
    typisierung: str
    typisierung_label: str
    ozg_id: int | None
    ozg_name: str | None
    lebenslage: str | None
    themenfeld: str | None

    @staticmethod
    def resolve_ozg_id(obj: Service) -> int | None:
        return obj.ozg_service.ozg_id if obj.ozg_service else None

    @staticmethod
    def resolve_ozg_name(obj: Service) -> str | None:
        return obj.ozg_service.name if obj.ozg_service else None

    @staticmethod
    def resolve_lebenslage(obj: Service) -> str | None:
        return obj.ozg_service.lebenslage if obj.ozg_service else None

    @staticmethod
    def resolve_themenfeld(obj: Service) -> str | None:
        return obj.ozg_service.themenfeld if obj.ozg_service else None


@router.get(
    "", response={200: list[ServiceOut], 422: ProblemOut}, summary="Leistungen suchen und auflisten"
)
@paginate(Pagination)
def list_services(request: HttpRequest, filters: Query[ServiceFilter]) -> QuerySet[Service]:
    return selectors.service_search(
        q=filters.q, lebenslage=filters.lebenslage, themenfeld=filters.themenfeld
    )
