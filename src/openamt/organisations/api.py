from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from openamt.core.pagination import Pagination
from openamt.core.schemas import ProblemOut, search_text
from openamt.organisations import selectors
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority

router = Router()


class AuthorityFilter(Schema):
    q: str = search_text("Teil des Namens")
    region_ars: str | None = Field(
        None, pattern=r"^\d{2,12}$", description="Behörden, die dieses Gebiet (mit)verwalten"
    )
    kind: AuthorityKind | None = None


class OpeningPeriodOut(Schema):
    day: int = Field(description="0 = Montag … 6 = Sonntag")
    opens: str
    closes: str
    note: str = ""


class AuthorityOut(Schema):
    id: int
    name: str
    kind: AuthorityKind
    kind_label: str
    register_ars: str | None = Field(description="verwaltete Einheit laut Gemeindeverzeichnis")
    seat: str = Field(description="Verwaltungssitz laut Gemeindeverzeichnis")
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    website: str
    opening_hours: list[OpeningPeriodOut]
    leitweg_id: str

    @staticmethod
    def resolve_kind_label(obj: Authority) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_register_ars(obj: Authority) -> str | None:
        return obj.register_region.ars if obj.register_region else None

    @staticmethod
    def resolve_seat(obj: Authority) -> str:
        region = obj.register_region
        if region is None:
            return ""
        return region.seat or region.short_name


@router.get(
    "", response={200: list[AuthorityOut], 422: ProblemOut}, summary="Behörden suchen und auflisten"
)
@paginate(Pagination)
def list_authorities(request: HttpRequest, filters: Query[AuthorityFilter]) -> QuerySet[Authority]:
    return selectors.authority_list(q=filters.q, region_ars=filters.region_ars, kind=filters.kind)
