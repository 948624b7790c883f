from datetime import date

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from openamt.core.errors import NotFound
from openamt.core.pagination import Pagination
from openamt.core.schemas import ProblemOut, search_text
from openamt.regions import selectors
from openamt.regions.constants import Level
from openamt.regions.models import Region, RegionQuerySet

router = Router()


class RegionFilter(Schema):
    q: str = search_text("Name, Ortsteil, PLZ, AGS oder ARS")
    ars_prefix: str | None = Field(
        None, pattern=r"^\d{1,12}$", description="Anfang des ARS, z. B. 16"
    )
    level: Level | None = Field(None, description="Ebene")


class RegionOut(Schema):
    ars: str = Field(description="signifikante Stellen des Amtlichen Regionalschlüssels")
    ars_full: str = Field(description="ARS, 12-stellig mit Nullen aufgefüllt")
    ags: str
    name: str
    level: Level
    kind: str
    kind_label: str
    parent_ars: str | None
    population: int | None
    area_ha: int | None
    seat_postcode: str
    valid_from: date
    valid_until: date | None

    @staticmethod
    def resolve_kind_label(obj: Region) -> str:
        return obj.get_kind_display() if obj.kind else obj.get_level_display()

    @staticmethod
    def resolve_parent_ars(obj: Region) -> str | None:
        return obj.parent.ars if obj.parent_id and obj.parent else None


class RegionDetailOut(RegionOut):
    postcodes: list[str]
    place_names: list[str]
    ancestors: list[RegionOut]

    @staticmethod
    def resolve_postcodes(obj: Region) -> list[str]:
        return selectors.region_postcodes(region=obj)

    @staticmethod
    def resolve_place_names(obj: Region) -> list[str]:
        return selectors.region_place_names(region=obj)

    @staticmethod
    def resolve_ancestors(obj: Region) -> list[Region]:
        ancestors = selectors.region_ancestors(region=obj).values()
        return sorted(ancestors, key=lambda region: len(region.ars))


@router.get(
    "", response={200: list[RegionOut], 422: ProblemOut}, summary="Gebiete suchen und auflisten"
)
@paginate(Pagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> RegionQuerySet:
    return selectors.region_search(
        q=filters.q, level=filters.level, ars_prefix=filters.ars_prefix
    ).select_related("parent")


@router.get(
    "/{key}",
    response={200: RegionDetailOut, 404: ProblemOut},
    summary="Ein Gebiet mit Übergeordneten und Postleitzahlen",
)
def get_region(request: HttpRequest, key: Path[str]) -> Region:
    if not key.isdigit() or not 2 <= len(key) <= 12:
        raise NotFound("Ein Gebietsschlüssel hat 2 bis 12 Ziffern.")
    return selectors.region_get(key=key)
